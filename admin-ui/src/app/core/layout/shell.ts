/**
 * The frame around every signed-in page. Desktop: a sidebar with every section. Phone: a top
 * bar and a bottom tab bar with four sections, "More" opening the rest in a sheet — thumbs
 * reach it, and nothing is hidden behind a hamburger. The sheet is a modal dialog: focus moves
 * into it, Tab stays inside, Escape (or the backdrop, or More again) closes it and focus
 * returns to the More button.
 *
 * What shows depends on who is signed in: a cashier sees the till, customers and referrals;
 * an owner also the overview, rewards, reports, recommendations, staff and import & export. The SMS outbox
 * entry appears only when the outbox route answers (development with the console SMS
 * provider). A "Skip to content" link is the first thing a keyboard reaches.
 *
 * The shell also keeps the session renewed while it is open (`TokenRefresh.schedule`), and
 * signing out revokes the refresh token on the server.
 *
 * Pages render once the business (`GET /auth/me`) is known, so each can rely on its id.
 */
import {
  Component,
  DestroyRef,
  ElementRef,
  afterRenderEffect,
  computed,
  effect,
  inject,
  resource,
  signal,
  viewChild,
} from '@angular/core';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';

import { Button } from '../../domains/shared/ui/button';
import { Icon, IconName } from '../../domains/shared/ui/icon';
import { LoadError, Loading } from '../../domains/shared/ui/states';
import { AuthStore } from '../auth/auth-store';
import { Session } from '../auth/session';
import { TokenRefresh } from '../auth/token-refresh';
import { OutboxProbe } from './outbox-probe';

interface NavItem {
  readonly path: string;
  readonly label: string;
  readonly short: string;
  readonly icon: IconName;
  /** Only for owners (the server refuses the rest to a cashier anyway). */
  readonly ownerOnly?: boolean;
  readonly devOnly?: boolean;
}

/** In order of daily use: the first four visible ones go in the phone's bottom bar. */
const NAV: readonly NavItem[] = [
  { path: '/till', label: 'Till', short: 'Till', icon: 'till' },
  { path: '/customers', label: 'Customers', short: 'Customers', icon: 'users' },
  { path: '/rewards', label: 'Rewards', short: 'Rewards', icon: 'gift', ownerOnly: true },
  { path: '/reports', label: 'Reports', short: 'Reports', icon: 'chart', ownerOnly: true },
  { path: '/referrals', label: 'Referrals', short: 'Referrals', icon: 'referral' },
  { path: '/dashboard', label: 'Overview', short: 'Overview', icon: 'grid', ownerOnly: true },
  {
    path: '/recommendations',
    label: 'Recommendations',
    short: 'Ideas',
    icon: 'sparkles',
    ownerOnly: true,
  },
  { path: '/staff', label: 'Staff', short: 'Staff', icon: 'staff', ownerOnly: true },
  {
    path: '/import-export',
    label: 'Import & export',
    short: 'Data',
    icon: 'transfer',
    ownerOnly: true,
  },
  {
    path: '/outbox',
    label: 'SMS outbox',
    short: 'Outbox',
    icon: 'message',
    ownerOnly: true,
    devOnly: true,
  },
];

/** How many sections the phone's bottom bar holds besides "More". */
const BOTTOM_BAR_ITEMS = 4;

@Component({
  selector: 'adm-shell',
  imports: [Button, Icon, LoadError, Loading, RouterLink, RouterLinkActive, RouterOutlet],
  template: `
    <a
      href="#main-content"
      class="sr-only z-50 rounded-lg bg-surface px-4 py-3 font-semibold text-brand-800 shadow-card focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      (click)="skipToContent($event)"
      >Skip to content</a
    >

    <!-- Desktop sidebar -->
    <aside
      class="fixed inset-y-0 left-0 z-30 hidden w-60 flex-col border-r border-line bg-surface md:flex"
    >
      <a routerLink="/till" class="flex items-center gap-2 px-5 py-5">
        <span
          class="grid size-9 place-items-center rounded-xl bg-brand-700 font-bold text-white"
          aria-hidden="true"
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
        <p class="truncate text-xs text-muted">Signed in as {{ who() }}</p>
        <button
          type="button"
          class="mt-3 flex min-h-11 items-center gap-2 text-sm font-medium text-muted hover:text-ink"
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
        aria-hidden="true"
        >M</span
      >
      <span class="truncate font-semibold">{{ businessName() }}</span>
    </header>

    <main
      #main
      id="main-content"
      tabindex="-1"
      class="px-4 pt-4 pb-28 md:ml-60 md:px-8 md:pt-8 md:pb-10"
    >
      <div class="mx-auto max-w-6xl">
        @if (session.business(); as business) {
          @if (business.status === 'pending' || business.status === 'suspended') {
            <p
              class="mb-4 rounded-lg border border-warning/30 bg-warning-soft px-3 py-2 text-sm text-warning"
              role="status"
              data-testid="business-status"
            >
              {{
                business.status === 'pending'
                  ? 'Your business is waiting for approval. You can set it up now; awarding and redeeming points start once it is approved.'
                  : 'Your business is suspended: points cannot be awarded or redeemed. Contact Mubayiro support.'
              }}
            </p>
          }
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
          (click)="closeMore(false)"
        >
          <adm-icon [name]="item.icon" class="size-6" />
          {{ item.short }}
        </a>
      }
      <button
        #moreButton
        type="button"
        class="col-start-5 flex min-h-14 flex-col items-center justify-center gap-0.5 text-[11px] font-medium text-muted"
        [class.text-brand-700]="moreOpen()"
        aria-haspopup="dialog"
        [attr.aria-expanded]="moreOpen()"
        aria-controls="more-sheet"
        (click)="moreOpen() ? closeMore() : openMore()"
      >
        <adm-icon [name]="moreOpen() ? 'close' : 'menu'" class="size-6" />
        More
      </button>
    </nav>

    @if (moreOpen()) {
      <div
        class="fixed inset-0 z-30 bg-ink/30 md:hidden"
        (click)="closeMore()"
        aria-hidden="true"
      ></div>
      <div
        #sheet
        id="more-sheet"
        role="dialog"
        aria-modal="true"
        aria-labelledby="more-sheet-title"
        class="fixed inset-x-0 bottom-14 z-40 rounded-t-2xl border-t border-line bg-surface p-3 pb-[calc(env(safe-area-inset-bottom)+0.75rem)] shadow-lg md:hidden"
        (keydown)="sheetKeydown($event)"
      >
        <h2 id="more-sheet-title" class="sr-only">More</h2>
        <nav aria-label="More">
          @for (item of secondaryItems(); track item.path) {
            <a
              [routerLink]="item.path"
              routerLinkActive="bg-brand-50 text-brand-800"
              ariaCurrentWhenActive="page"
              class="flex min-h-12 items-center gap-3 rounded-lg px-3 text-base font-medium"
              (click)="closeMore(false)"
            >
              <adm-icon [name]="item.icon" class="size-5" />
              {{ item.label }}
            </a>
          }
        </nav>
        <div class="mt-2 border-t border-line px-3 pt-3">
          <p class="truncate text-sm text-muted">Signed in as {{ who() }}</p>
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
  readonly #refresh = inject(TokenRefresh);
  protected readonly session = inject(Session);

  protected readonly moreOpen = signal(false);
  private readonly main = viewChild.required<ElementRef<HTMLElement>>('main');
  private readonly moreButton = viewChild<ElementRef<HTMLButtonElement>>('moreButton');
  private readonly sheet = viewChild<ElementRef<HTMLElement>>('sheet');
  /** Move focus into the sheet once it is rendered. */
  readonly #focusSheet = signal(false);

  readonly #outboxAvailable = resource({ loader: () => this.#outbox.available() });

  protected readonly items = computed(() => {
    const showOutbox = this.#outboxAvailable.hasValue() && this.#outboxAvailable.value() === true;
    const owner = this.#auth.isOwner();
    return NAV.filter((item) => (!item.devOnly || showOutbox) && (!item.ownerOnly || owner));
  });
  protected readonly primaryItems = computed(() => this.items().slice(0, BOTTOM_BAR_ITEMS));
  protected readonly secondaryItems = computed(() => this.items().slice(BOTTOM_BAR_ITEMS));
  protected readonly businessName = computed(() => this.session.business()?.name ?? 'Mubayiro');
  protected readonly who = computed(() => {
    // `/auth/me` names the business, not the person: a cashier is shown by role.
    return this.#auth.role() === 'cashier' ? 'a cashier' : (this.session.business()?.email ?? '');
  });

  constructor() {
    // Renew shortly before each access token expires, for as long as the shell is open.
    effect(() => {
      if (this.#auth.token()) {
        this.#refresh.schedule();
      }
    });
    inject(DestroyRef).onDestroy(() => this.#refresh.cancel());
    afterRenderEffect(() => {
      const sheet = this.sheet();
      if (sheet && this.#focusSheet()) {
        this.#focusables(sheet.nativeElement)[0]?.focus();
        this.#focusSheet.set(false);
      }
    });
  }

  protected skipToContent(event: Event): void {
    event.preventDefault(); // a "#" link would leave the app (the base href is /admin/)
    this.main().nativeElement.focus();
  }

  protected openMore(): void {
    this.moreOpen.set(true);
    this.#focusSheet.set(true);
  }

  /** Close the sheet; focus returns to "More" unless a link was followed. */
  protected closeMore(returnFocus = true): void {
    if (!this.moreOpen()) {
      return;
    }
    this.moreOpen.set(false);
    if (returnFocus) {
      this.moreButton()?.nativeElement.focus();
    }
  }

  /** Escape closes the sheet; Tab and Shift+Tab cycle inside it (a modal dialog). */
  protected sheetKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      this.closeMore();
      return;
    }
    const sheet = this.sheet()?.nativeElement;
    if (event.key !== 'Tab' || !sheet) {
      return;
    }
    const focusables = this.#focusables(sheet);
    const first = focusables[0];
    const last = focusables[focusables.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last?.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first?.focus();
    }
  }

  protected async signOut(): Promise<void> {
    this.moreOpen.set(false);
    await this.#refresh.signOut();
    await this.#router.navigate(['/login']);
  }

  #focusables(root: HTMLElement): HTMLElement[] {
    return Array.from(root.querySelectorAll<HTMLElement>('a[href], button:not([disabled])'));
  }
}
