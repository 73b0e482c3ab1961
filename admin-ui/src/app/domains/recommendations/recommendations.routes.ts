/** The recommendation engine's rules and cross-promotion partners. */
import { Routes } from '@angular/router';

import { RecommendationsPage } from './feature-recommendations/recommendations-page';

export const recommendationsRoutes: Routes = [
  { path: '', component: RecommendationsPage, title: 'AI recommendations · Mubayiro' },
];
