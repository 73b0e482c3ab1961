/**
 * Top-level routes. Every domain is lazy-loaded through its `<domain>.routes.ts`.
 *
 * Signed-out visitors match the auth routes (`/login`, `/register`); anything else falls
 * through to the shell, whose `authGuard` sends them to `/login?returnUrl=…`. A signed-in
 * owner skips the auth routes (`guestGuard` does not match) and lands in the shell.
 */
import { Routes } from '@angular/router';

import { authGuard, guestGuard } from './core/auth/auth-guard';

export const routes: Routes = [
  {
    path: '',
    canMatch: [guestGuard],
    loadChildren: () => import('./domains/auth/auth.routes').then((m) => m.authRoutes),
  },
  {
    path: '',
    canActivate: [authGuard],
    canActivateChild: [authGuard],
    loadComponent: () => import('./core/layout/shell').then((m) => m.Shell),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'dashboard' },
      {
        path: 'dashboard',
        loadChildren: () =>
          import('./domains/dashboard/dashboard.routes').then((m) => m.dashboardRoutes),
      },
      {
        path: 'customers',
        loadChildren: () =>
          import('./domains/customers/customers.routes').then((m) => m.customersRoutes),
      },
      {
        path: 'rewards',
        loadChildren: () => import('./domains/rewards/rewards.routes').then((m) => m.rewardsRoutes),
      },
      {
        path: 'referrals',
        loadChildren: () =>
          import('./domains/referrals/referrals.routes').then((m) => m.referralsRoutes),
      },
      {
        path: 'reports',
        loadChildren: () => import('./domains/reports/reports.routes').then((m) => m.reportsRoutes),
      },
      {
        path: 'recommendations',
        loadChildren: () =>
          import('./domains/recommendations/recommendations.routes').then(
            (m) => m.recommendationsRoutes,
          ),
      },
      {
        path: 'outbox',
        loadChildren: () => import('./domains/outbox/outbox.routes').then((m) => m.outboxRoutes),
      },
      { path: '**', redirectTo: 'dashboard' },
    ],
  },
];
