/** The till: the home page of owners and cashiers. */
import { Routes } from '@angular/router';

import { TillPage } from './feature-till/till-page';

export const tillRoutes: Routes = [{ path: '', component: TillPage, title: 'Till · Mubayiro' }];
