/**
 * `<adm-ledger-figures [summary]="…" [locale]="…">`: what else moved customers' points in the
 * period, in the owner's words — points refunds took back (and what they could not take back
 * because the customer had already spent it), points cancelled redemptions gave back, points
 * that expired, balances imported from another system — and the net change of customers'
 * balances, each with a line saying what it means. Every figure is positive but the net,
 * which carries its sign.
 */
import { Component, computed, input } from '@angular/core';

import { ReportSummary } from '../../shared/data/reports-client';
import { plural } from '../../shared/util/dates';
import { formatPoints, pointsText } from '../../shared/util/format';

/** One line of the card: a name, a figure, and what it means. */
interface Line {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly meaning: string;
  /** A second line, when there is more to say (the shortfall). */
  readonly note?: string;
}

/** `+1,320`, `−12`, `0`: a signed change of points (a real minus sign, not a hyphen). */
export function signedPoints(value: number, locale: string): string {
  const digits = formatPoints(Math.abs(value), locale);
  return value > 0 ? `+${digits}` : value < 0 ? `−${digits}` : digits;
}

/** `pt` for one point either way, `pts` otherwise (the page's short unit). */
function unit(value: number): string {
  return Math.abs(value) === 1 ? 'pt' : 'pts';
}

/** The card's lines for `summary`, in the order an owner reads them. */
export function ledgerLines(summary: ReportSummary, locale: string): readonly Line[] {
  const { reversals } = summary;
  const pts = (value: number) => `${formatPoints(value, locale)} ${unit(value)}`;
  const net = summary.netPoints;
  return [
    {
      id: 'reversed',
      label: 'Taken back by refunds',
      value: pts(reversals.pointsReversed),
      meaning:
        'Points customers lost because a purchase or a referral bonus was refunded. ' +
        'Points issued above still counts them.',
      note:
        reversals.shortfall > 0
          ? `${pointsText(reversals.shortfall, locale)} could not be taken back: the customers ` +
            'had already spent them.'
          : undefined,
    },
    {
      id: 'given-back',
      label: 'Given back by cancelled redemptions',
      value: pts(reversals.pointsGivenBack),
      meaning: 'Points returned to customers when a redemption was cancelled.',
    },
    {
      id: 'expired',
      label: 'Expired',
      value: pts(summary.pointsExpired),
      meaning: 'Points you gave that customers did not use before they expired.',
    },
    {
      id: 'imported',
      label: 'Balances imported',
      value: pts(summary.pointsImported),
      meaning:
        'Balances brought over from your previous loyalty system. They are not points issued.',
    },
    {
      id: 'net',
      label: 'Net points',
      value: `${signedPoints(net, locale)} ${unit(net)}`,
      meaning:
        net < 0
          ? `Your customers' balances went down by ${pointsText(-net, locale)} from what ` +
            'happened here in this period.'
          : `What this period added to your customers' balances: issued, imported and ` +
            'given back, less redeemed, taken back and expired.',
    },
  ];
}

@Component({
  selector: 'adm-ledger-figures',
  host: { class: 'block' },
  template: `
    <p class="mb-2 text-sm text-muted" data-testid="refund-count">{{ refunds() }}</p>
    <ul class="divide-y divide-line/70">
      @for (line of lines(); track line.id) {
        <li class="py-2.5" [attr.data-testid]="'figure-' + line.id">
          <p class="flex items-baseline justify-between gap-3">
            <span class="text-sm font-medium text-ink">{{ line.label }}</span>
            <span class="shrink-0 font-semibold tabular-nums text-ink" data-testid="figure-value">
              {{ line.value }}
            </span>
          </p>
          <p class="mt-0.5 text-xs text-muted">{{ line.meaning }}</p>
          @if (line.note) {
            <p class="mt-1 text-xs font-medium text-warning" data-testid="figure-note">
              {{ line.note }}
            </p>
          }
        </li>
      }
    </ul>
  `,
})
export class LedgerFigures {
  readonly summary = input.required<ReportSummary>();
  readonly locale = input('en-US');

  protected readonly lines = computed(() => ledgerLines(this.summary(), this.locale()));
  protected readonly refunds = computed(() => {
    const count = this.summary().reversals.count;
    return count === 0
      ? 'No refunds or cancelled redemptions in this period.'
      : `${formatPoints(count, this.locale())} ${plural(count, 'refund or cancelled redemption', 'refunds or cancelled redemptions')} in this period.`;
  });
}
