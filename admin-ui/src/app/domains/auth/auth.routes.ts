/**
 * Sign-in, sign-up and "forgot your password?", for visitors who are not signed in
 * (`guestGuard`); and the reset link's page, open to anyone holding the e-mailed link.
 */
import { Routes } from '@angular/router';

import { ForgotPassword } from './feature-password-reset/forgot-password';
import { ResetPassword } from './feature-password-reset/reset-password';
import { Register } from './feature-register/register';
import { SignIn } from './feature-sign-in/sign-in';

export const authRoutes: Routes = [
  { path: 'login', component: SignIn, title: 'Sign in · Mubayiro' },
  { path: 'register', component: Register, title: 'Create account · Mubayiro' },
  { path: 'forgot-password', component: ForgotPassword, title: 'Reset password · Mubayiro' },
];

/** `/reset?token=…`, the link the password-reset e-mail carries. */
export const passwordResetRoutes: Routes = [
  { path: '', component: ResetPassword, title: 'New password · Mubayiro' },
];
