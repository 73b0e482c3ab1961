/** The development SMS outbox. */
import { Routes } from '@angular/router';

import { OutboxPage } from './feature-outbox/outbox-page';

export const outboxRoutes: Routes = [
  { path: '', component: OutboxPage, title: 'SMS outbox · Mubayiro' },
];
