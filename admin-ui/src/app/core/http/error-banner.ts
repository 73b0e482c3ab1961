/**
 * The app-wide "something is down" banner.
 *
 * One entry per service, so "Reports is unavailable" and "Loyalty is unavailable" can show
 * together, and a later successful call to a service clears its entry by itself.
 */
import { Service, computed, signal } from '@angular/core';

/** One line of the banner. */
export interface OutageNotice {
  readonly service: string;
  readonly message: string;
}

@Service()
export class ErrorBanner {
  readonly #notices = signal<readonly OutageNotice[]>([]);

  /** The current notices, oldest first. */
  readonly notices = this.#notices.asReadonly();
  readonly visible = computed(() => this.#notices().length > 0);

  /** Record that `service` failed with `status` (0 = unreachable). */
  report(service: string, status: number): void {
    const message =
      status === 0
        ? "Can't reach the server. Check your connection; we'll keep trying when you act again."
        : status === 504
          ? `${service} is not answering in time (${status}). Try again in a moment.`
          : `${service} is unavailable right now (${status}). Try again in a moment.`;
    // Status 0 is the network or the gateway itself: one notice covers every service.
    const key = status === 0 ? 'network' : service;
    this.#notices.update((list) => [
      ...list.filter((notice) => notice.service !== key),
      { service: key, message },
    ]);
  }

  /** Forget `service`'s notice (a call to it just succeeded); the network notice goes too. */
  clear(service: string): void {
    if (this.#notices().some((n) => n.service === service || n.service === 'network')) {
      this.#notices.update((list) =>
        list.filter((n) => n.service !== service && n.service !== 'network'),
      );
    }
  }

  /** Remove every notice (the person dismissed the banner). */
  dismiss(): void {
    this.#notices.set([]);
  }
}
