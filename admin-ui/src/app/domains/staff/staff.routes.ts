/** Staff accounts (owner only, see app.routes.ts). */
import { Routes } from '@angular/router';

import { StaffPage } from './feature-staff/staff-page';

export const staffRoutes: Routes = [{ path: '', component: StaffPage, title: 'Staff · Mubayiro' }];
