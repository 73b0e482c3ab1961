/** Reports (Chart.js is loaded with this chunk only). */
import { Routes } from '@angular/router';

import { ReportsPage } from './feature-reports/reports-page';

export const reportsRoutes: Routes = [
  { path: '', component: ReportsPage, title: 'Reports · Mubayiro' },
];
