/** The home page of a signed-in business. */
import { Routes } from '@angular/router';

import { Dashboard } from './feature-dashboard/dashboard';

export const dashboardRoutes: Routes = [
  { path: '', component: Dashboard, title: 'Dashboard · Mubayiro' },
];
