/** The root component: the outage banner above whatever page the router shows. */
import { Component } from '@angular/core';
import { RouterOutlet } from '@angular/router';

import { ErrorBannerView } from './core/layout/error-banner-view';

@Component({
  selector: 'adm-root',
  imports: [ErrorBannerView, RouterOutlet],
  template: `<adm-error-banner /><router-outlet />`,
})
export class App {}
