/** The rewards catalog. */
import { Routes } from '@angular/router';

import { RewardCatalog } from './feature-catalog/reward-catalog';

export const rewardsRoutes: Routes = [
  { path: '', component: RewardCatalog, title: 'Rewards · Mubayiro' },
];
