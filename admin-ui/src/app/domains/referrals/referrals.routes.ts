/** Pending and completed referrals. */
import { Routes } from '@angular/router';

import { ReferralList } from './feature-referrals/referral-list';

export const referralsRoutes: Routes = [
  { path: '', component: ReferralList, title: 'Referrals · Mubayiro' },
];
