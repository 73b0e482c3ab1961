/** Customer look-up and redemption. */
import { Routes } from '@angular/router';

import { CustomerSearch } from './feature-customer-search/customer-search';

export const customersRoutes: Routes = [
  { path: '', component: CustomerSearch, title: 'Customers · Mubayiro' },
];
