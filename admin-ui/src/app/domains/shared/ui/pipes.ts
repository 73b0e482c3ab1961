/**
 * Display pipes: phone numbers as `+263 77 123 4567`, money in the business currency, points
 * with thousands separators, a failed load in words for people (`error | humanMessage`). Currency and locale come from RuntimeConfig, read once at start-up.
 */
import { Pipe, PipeTransform, inject } from '@angular/core';

import { RuntimeConfig } from '../../../core/config/runtime-config';
import { formatMoney, formatPoints } from '../util/format';
import { humanMessage } from '../util/messages';
import { formatPhone } from '../util/phone';

@Pipe({ name: 'phone' })
export class PhonePipe implements PipeTransform {
  transform(value: string | null | undefined): string {
    return formatPhone(value);
  }
}

@Pipe({ name: 'money' })
export class MoneyPipe implements PipeTransform {
  readonly #config = inject(RuntimeConfig);

  transform(value: string | number | null | undefined): string {
    return formatMoney(value, this.#config.currency(), this.#config.locale());
  }
}

@Pipe({ name: 'points' })
export class PointsPipe implements PipeTransform {
  readonly #config = inject(RuntimeConfig);

  transform(value: number | null | undefined, signed = false): string {
    const text = formatPoints(value, this.#config.locale());
    return signed && value !== null && value !== undefined && value > 0 ? `+${text}` : text;
  }
}

@Pipe({ name: 'humanMessage' })
export class HumanMessagePipe implements PipeTransform {
  transform(error: unknown): string {
    return humanMessage(error);
  }
}
