/** Sign-in and sign-up, for visitors who are not signed in (`guestGuard`). */
import { Routes } from '@angular/router';

import { Register } from './feature-register/register';
import { SignIn } from './feature-sign-in/sign-in';

export const authRoutes: Routes = [
  { path: 'login', component: SignIn, title: 'Sign in · Mubayiro' },
  { path: 'register', component: Register, title: 'Create account · Mubayiro' },
];
