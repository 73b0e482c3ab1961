/** `<adm-auth-frame>`: the centred, branded frame around the sign-in and sign-up forms. */
import { Component, input } from '@angular/core';

@Component({
  selector: 'adm-auth-frame',
  host: { class: 'flex min-h-dvh flex-col items-center justify-center px-4 py-10' },
  template: `
    <div class="mb-6 flex items-center gap-2">
      <span
        class="grid size-10 place-items-center rounded-xl bg-brand-700 text-lg font-bold text-white"
        >M</span
      >
      <span class="text-lg font-bold tracking-tight"
        >Mubayiro <span class="font-normal text-muted">for business</span></span
      >
    </div>
    <main
      class="w-full max-w-md rounded-card border border-line/60 bg-surface p-5 shadow-card sm:p-8"
    >
      <h1 class="text-xl font-bold text-ink">{{ title() }}</h1>
      @if (subtitle()) {
        <p class="mt-1 text-sm text-muted">{{ subtitle() }}</p>
      }
      <div class="mt-6">
        <ng-content />
      </div>
    </main>
  `,
})
export class AuthFrame {
  readonly title = input.required<string>();
  readonly subtitle = input('');
}
