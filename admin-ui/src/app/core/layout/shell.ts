/**
 * The frame around every signed-in page. Desktop: a sidebar with every section. Phone: a top
 * bar and a bottom tab bar with the four daily sections, "More" opening the rest — thumbs
 * reach it, and nothing is hidden behind a hamburger. The SMS outbox entry appears only when
 * the outbox route answers (development with the console SMS provider).
 *
 * Pages render once the business (`GET /auth/me`) is known, so each can rely on its id.
 */
import { Component, computed, inject, resource, signal } from '@angular/core';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';

import { Button } from '../../domains/shared/ui/button';
import { Icon, IconName } from '../../domains/shared/ui/icon';
import { LoadError, Loading } from '../../domains/shared/ui/states';
import { AuthStore } from '../auth/auth-store';
import { Session } from '../auth/session';
import { OutboxProbe } from './outbox-probe';

interface NavItem {
  readonly path: string;
  readonly label: string;
  readonly short: string;
  readonly icon: IconName;
  /** Shown in the phone's bottom bar (the rest go under "More"). */
  readonly primary?: boolean;
  readonly devOnly?: boolean;
}

const NAV: readonly NavItem[] = [
  { path: '/dashboard', label: 'Dashboard', short: 'Home', icon: 'home', primary: true },
  { path: '/customers', label: 'Customers', short: 'Customers', icon: 'users', primary: true },
  { path: '/rewards', label: 'Rewards', short: 'Rewards', icon: 'gift', primary: true },
  { path: '/reports', label: 'Reports', short: 'Reports', icon: 'chart', primary: true },
  { path: '/referrals', label: 'Referrals', short: 'Referrals', icon: 'referral' },
  { path: '/recommendations', label: 'AI recommendations', short: 'AI', icon: 'sparkles' },
  { path: '/outbox', label: 'SMS outbox', short: 'Outbox', icon: 'message', devOnly: true },
];

@Component({
  selector: 'adm-shell',
  imports: [Button, Icon, LoadError, Loading, RouterLink, RouterLinkActive, RouterOutlet],
  template: `
    <!-- Desktop sidebar -->
    <aside
      class="fixed inset-y-0 left-0 z-30 hidden w-60 flex-col border-r border-line bg-surface md:flex"
    >
      <a routerLink="/dashboard" class="flex items-center gap-2 px-5 py-5">
        <span class="grid size-9 place-items-center rounded-xl bg-brand-700 font-bold text-white"
          >M</span
        >
        <span class="font-bold tracking-tight">Mubayiro</span>
      </a>
      <nav aria-label="Main" class="flex-1 space-y-1 px-3">
        @for (item of items(); track item.path) {
          <a
            [routerLink]="item.path"
            routerLinkActive="bg-brand-50 text-brand-800"
            [routerLinkActiveOptions]="{ exact: false }"
            ariaCurrentWhenActive="page"
            class="flex min-h-11 items-center gap-3 rounded-lg px-3 text-sm font-medium text-ink hover:bg-canvas"
          >
            <adm-icon [name]="item.icon" class="size-5" />
            {{ item.label }}
          </a>
        }
      </nav>
      <div class="border-t border-line px-5 py-4">
        <p class="truncate text-sm font-semibold text-ink">{{ businessName() }}</p>
        <p class="truncate text-xs text-muted">{{ session.business()?.email }}</p>
        <button
          type="button"
          class="mt-3 flex items-center gap-2 text-sm font-medium text-muted hover:text-ink"
          (click)="signOut()"
        >
          <adm-icon name="logout" class="size-4" /> Sign out
        </button>
      </div>
    </aside>

    <!-- Phone top bar -->
    <header
      class="sticky top-0 z-30 flex h-14 items-center gap-2 border-b border-line bg-surface/95 px-4 backdrop-blur md:hidden"
    >
      <span
        class="grid size-8 place-items-center rounded-lg bg-brand-700 text-sm font-bold text-white"
        >M</span
      >
      <span class="truncate font-semibold">{{ businessName() }}</span>
    </header>

    <main class="px-4 pt-4 pb-28 md:ml-60 md:px-8 md:pt-8 md:pb-10">
      <div class="mx-auto max-w-6xl">
        @if (session.business()) {
          <router-outlet />
        } @else if (session.error(); as error) {
          <adm-load-error
            [message]="'We could not load your business. ' + error"
            (retry)="session.reload()"
          />
        } @else {
          <adm-loading label="Loading your business…" />
        }
      </div>
    </main>

    <!-- Phone bottom bar -->
    <nav
      aria-label="Main"
      class="fixed inset-x-0 bottom-0 z-40 grid grid-cols-5 border-t border-line bg-surface pb-[env(safe-area-inset-bottom)] md:hidden"
    >
      @for (item of primaryItems(); track item.path) {
        <a
          [routerLink]="item.path"
          routerLinkActive="text-brand-700"
          ariaCurrentWhenActive="page"
          class="flex min-h-14 flex-col items-center justify-center gap-0.5 text-[11px] font-medium text-muted"
          (click)="moreOpen.set(false)"
        >
          <adm-icon [name]="item.icon" class="size-6" />
          {{ item.short }}
        </a>
      }
      <button
        type="button"
        class="flex min-h-14 flex-col items-center justify-center gap-0.5 text-[11px] font-medium text-muted"
        [class.text-brand-700]="moreOpen()"
        [attr.aria-expanded]="moreOpen()"
        aria-controls="more-sheet"
        (click)="moreOpen.set(!moreOpen())"
      >
        <adm-icon [name]="moreOpen() ? 'close' : 'menu'" class="size-6" />
        More
      </button>
    </nav>

    @if (moreOpen()) {
      <div
        class="fixed inset-0 z-30 bg-ink/30 md:hidden"
        (click)="moreOpen.set(false)"
        aria-hidden="true"
      ></div>
      <div
        id="more-sheet"
        class="fixed inset-x-0 bottom-14 z-40 rounded-t-2xl border-t border-line bg-surface p-3 pb-[calc(env(safe-area-inset-bottom)+0.75rem)] shadow-lg md:hidden"
      >
        <nav aria-label="More">
          @for (item of secondaryItems(); track item.path) {
            <a
              [routerLink]="item.path"
              routerLinkActive="bg-brand-50 text-brand-800"
              ariaCurrentWhenActive="page"
              class="flex min-h-12 items-center gap-3 rounded-lg px-3 text-base font-medium"
              (click)="moreOpen.set(false)"
            >
              <adm-icon [name]="item.icon" class="size-5" />
              {{ item.label }}
            </a>
          }
        </nav>
        <div class="mt-2 border-t border-line px-3 pt-3">
          <p class="truncate text-sm text-muted">Signed in as {{ session.business()?.email }}</p>
          <button
            admButton="secondary"
            type="button"
            class="mt-2"
            [block]="true"
            (click)="signOut()"
          >
            <adm-icon name="logout" class="size-4" /> Sign out
          </button>
        </div>
      </div>
    }
  `,
})
export class Shell {
  readonly #auth = inject(AuthStore);
  readonly #router = inject(Router);
  readonly #outbox = inject(OutboxProbe);
  protected readonly session = inject(Session);

  protected readonly moreOpen = signal(false);

  readonly #outboxAvailable = resource({ loader: () => this.#outbox.available() });

  protected readonly items = computed(() => {
    const showOutbox = this.#outboxAvailable.hasValue() && this.#outboxAvailable.value() === true;
    return NAV.filter((item) => !item.devOnly || showOutbox);
  });
  protected readonly primaryItems = computed(() => this.items().filter((i) => i.primary));
  protected readonly secondaryItems = computed(() => this.items().filter((i) => !i.primary));
  protected readonly businessName = computed(() => this.session.business()?.name ?? 'Mubayiro');

  protected signOut(): void {
    this.moreOpen.set(false);
    this.#auth.signOut();
    void this.#router.navigate(['/login']);
  }
}
