/**
 * The fields every form asks for the same way, one component each, so a form names the field
 * and its purpose and nothing else: `<adm-email-field [field]="form.email" />`,
 * `<adm-password-field [field]="form.password" autocomplete="new-password" />`,
 * `<adm-phone-field [field]="form.phone" />`. Each is an `<adm-field>` (label, hint, error)
 * around an `admInput` bound to the Signal Forms field, with the keyboard and autofill hints
 * a phone needs (`inputmode`, `autocomplete`).
 */
import { Component, input } from '@angular/core';
import { FieldTree, FormField } from '@angular/forms/signals';

import { Field } from './field';
import { Input } from './input';

/** An e-mail address; `autocomplete` is `username` on sign-in pages, `off` for someone else's. */
@Component({
  selector: 'adm-email-field',
  host: { class: 'block' },
  imports: [Field, FormField, Input],
  template: `
    <adm-field [label]="label()" [field]="field()">
      <input
        admInput
        type="email"
        inputmode="email"
        [attr.autocomplete]="autocomplete()"
        [formField]="field()"
      />
    </adm-field>
  `,
})
export class EmailField {
  readonly field = input.required<FieldTree<string>>();
  readonly label = input('Email');
  readonly autocomplete = input('email');
}

/** A password; `autocomplete="new-password"` where one is chosen, so managers offer one. */
@Component({
  selector: 'adm-password-field',
  host: { class: 'block' },
  imports: [Field, FormField, Input],
  template: `
    <adm-field [label]="label()" [field]="field()" [hint]="hint()">
      <input admInput type="password" [attr.autocomplete]="autocomplete()" [formField]="field()" />
    </adm-field>
  `,
})
export class PasswordField {
  readonly field = input.required<FieldTree<string>>();
  readonly label = input('Password');
  readonly hint = input('');
  readonly autocomplete = input<'current-password' | 'new-password'>('current-password');
}

/** A phone number, with the phone keypad; no autofill (it is the customer's, not the user's). */
@Component({
  selector: 'adm-phone-field',
  host: { class: 'block' },
  imports: [Field, FormField, Input],
  template: `
    <adm-field [label]="label()" [field]="field()">
      <input
        admInput
        type="tel"
        inputmode="tel"
        [attr.autocomplete]="autocomplete()"
        [placeholder]="placeholder()"
        [formField]="field()"
      />
    </adm-field>
  `,
})
export class PhoneField {
  readonly field = input.required<FieldTree<string>>();
  readonly label = input('Customer phone');
  readonly placeholder = input('0771234567');
  /** `null` leaves the browser's default (the outbox filter, where history helps). */
  readonly autocomplete = input<string | null>('off');
}
