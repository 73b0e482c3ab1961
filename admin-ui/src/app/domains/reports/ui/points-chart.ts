/**
 * `<adm-points-chart [days]="…">`: points issued and redeemed per day as a bar chart
 * (Chart.js, registered with only the parts a bar chart needs, and only in the reports chunk).
 */
import {
  Component,
  DestroyRef,
  ElementRef,
  afterRenderEffect,
  computed,
  inject,
  input,
  viewChild,
} from '@angular/core';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
} from 'chart.js';

import { DailyPoints } from '../../shared/data/reports-client';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const ISSUED_COLOUR = '#059669';
// 3.6:1 on white: enough for a bar (WCAG 1.4.11 asks 3:1 of graphics).
const REDEEMED_COLOUR = '#b7791f';

function shortDate(isoDate: string, locale: string): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  return Number.isNaN(date.getTime())
    ? isoDate
    : new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
        date,
      );
}

@Component({
  selector: 'adm-points-chart',
  host: { class: 'block' },
  template: `
    <div class="relative h-64 w-full sm:h-72">
      <canvas #canvas role="img" [attr.aria-label]="summary()"></canvas>
    </div>
  `,
})
export class PointsChart {
  readonly days = input.required<readonly DailyPoints[]>();
  readonly locale = input('en-US');

  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  #chart: Chart<'bar'> | null = null;

  protected readonly summary = computed(() => {
    const days = this.days();
    const issued = days.reduce((sum, d) => sum + d.pointsIssued, 0);
    const redeemed = days.reduce((sum, d) => sum + d.pointsRedeemed, 0);
    return `Bar chart over ${days.length} days: ${issued} points issued, ${redeemed} points redeemed.`;
  });

  constructor() {
    afterRenderEffect(() => {
      const days = this.days();
      const labels = days.map((d) => shortDate(d.date, this.locale()));
      const issued = days.map((d) => d.pointsIssued);
      const redeemed = days.map((d) => d.pointsRedeemed);
      if (this.#chart) {
        this.#chart.data.labels = labels;
        this.#chart.data.datasets[0].data = issued;
        this.#chart.data.datasets[1].data = redeemed;
        this.#chart.update();
        return;
      }
      this.#chart = new Chart(this.canvas().nativeElement, {
        type: 'bar',
        data: {
          labels,
          datasets: [
            {
              label: 'Points issued',
              data: issued,
              backgroundColor: ISSUED_COLOUR,
              borderRadius: 4,
            },
            {
              label: 'Points redeemed',
              data: redeemed,
              backgroundColor: REDEEMED_COLOUR,
              borderRadius: 4,
            },
          ],
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          interaction: { mode: 'index', intersect: false },
          scales: {
            x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkip: true } },
            y: { beginAtZero: true, ticks: { precision: 0 } },
          },
          plugins: { legend: { position: 'bottom' } },
        },
      });
    });
    inject(DestroyRef).onDestroy(() => this.#chart?.destroy());
  }
}
