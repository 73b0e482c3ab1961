/**
 * Top-level routes. Every domain is lazy-loaded through its `<domain>.routes.ts`.
 *
 * The app's own address (`/admin/`, what `make up` prints) redirects to the till, the home of
 * owners and cashiers alike; signed out, the shell's `authGuard` turns that into the sign-in
 * page. Signed-out visitors match the auth routes (`/login`, `/register`, `/forgot-password`);
 * the password-reset link (`/reset?token=…`, also `/reset-password?token=…`) opens whether
 * signed in or not. Anything else
 * falls through to the shell. Owner-only sections carry `ownerGuard`: a cashier sees the
 * till, customers and referrals.
 */
import { Routes } from '@angular/router';

import { authGuard, guestGuard, ownerGuard } from './core/auth/auth-guard';

export const routes: Routes = [
  { path: '', pathMatch: 'full', redirectTo: 'till' },
  {
    path: 'reset',
    loadChildren: () => import('./domains/auth/auth.routes').then((m) => m.passwordResetRoutes),
  },
  {
    // The auth service's default link (its AUTH_PASSWORD_RESET_URL) names the page in full.
    path: 'reset-password',
    loadChildren: () => import('./domains/auth/auth.routes').then((m) => m.passwordResetRoutes),
  },
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
      {
        path: 'till',
        loadChildren: () => import('./domains/till/till.routes').then((m) => m.tillRoutes),
      },
      {
        path: 'customers',
        loadChildren: () =>
          import('./domains/customers/customers.routes').then((m) => m.customersRoutes),
      },
      {
        path: 'referrals',
        loadChildren: () =>
          import('./domains/referrals/referrals.routes').then((m) => m.referralsRoutes),
      },
      {
        path: 'dashboard',
        canActivate: [ownerGuard],
        loadChildren: () =>
          import('./domains/dashboard/dashboard.routes').then((m) => m.dashboardRoutes),
      },
      {
        path: 'rewards',
        canActivate: [ownerGuard],
        loadChildren: () => import('./domains/rewards/rewards.routes').then((m) => m.rewardsRoutes),
      },
      {
        path: 'reports',
        canActivate: [ownerGuard],
        loadChildren: () => import('./domains/reports/reports.routes').then((m) => m.reportsRoutes),
      },
      {
        path: 'recommendations',
        canActivate: [ownerGuard],
        loadChildren: () =>
          import('./domains/recommendations/recommendations.routes').then(
            (m) => m.recommendationsRoutes,
          ),
      },
      {
        path: 'staff',
        canActivate: [ownerGuard],
        loadChildren: () => import('./domains/staff/staff.routes').then((m) => m.staffRoutes),
      },
      {
        path: 'import-export',
        canActivate: [ownerGuard],
        loadChildren: () =>
          import('./domains/import-export/import-export.routes').then((m) => m.importExportRoutes),
      },
      {
        path: 'outbox',
        canActivate: [ownerGuard],
        loadChildren: () => import('./domains/outbox/outbox.routes').then((m) => m.outboxRoutes),
      },
      { path: '**', redirectTo: 'till' },
    ],
  },
];
