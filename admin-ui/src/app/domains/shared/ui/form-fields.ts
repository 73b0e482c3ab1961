/**
 * The fields every form asks for the same way, one component each, so a form names the field
 * and its purpose and nothing else: `<adm-email-field [field]="form.email" />`,
 * `<adm-password-field [field]="form.password" />`, `<adm-new-password-field …>`,
 * `<adm-phone-field [field]="form.phone" />`, `<adm-rate-field [field]="form.rate" />`. Each is an `<adm-field>` (label, hint, error)
 * around an `admInput` bound to the Signal Forms field, with the keyboard and autofill hints
 * a phone needs (`inputmode`, `autocomplete`); they differ only in those and their defaults.
 */
import { Component, Directive, input } from '@angular/core';
import { FieldTree, FormField, FormRoot } from '@angular/forms/signals';

import { Field } from './field';
import { FormFooter } from './form-footer';
import { Input } from './input';

/** What the three fields share: the form's field, its hint, and one template. */
@Directive()
abstract class TextField {
  readonly field = input.required<FieldTree<string>>();
  readonly hint = input('');
  abstract readonly label: () => string;
  abstract readonly autocomplete: () => string | null;
  readonly placeholder = input<string | null>(null);
  /** The control's `type` and the keyboard a phone shows for it. */
  protected abstract readonly type: 'email' | 'password' | 'tel' | 'text';
  protected readonly inputmode: string | null = null;
}

const TEMPLATE = `
  <adm-field [label]="label()" [field]="field()" [hint]="hint()">
    <input
      admInput
      [type]="type"
      [attr.inputmode]="inputmode"
      [attr.autocomplete]="autocomplete()"
      [attr.placeholder]="placeholder()"
      [formField]="field()"
    />
  </adm-field>
`;
const HOST = { class: 'block' };
const IMPORTS = [Field, FormField, Input];

/** An e-mail address; `autocomplete` is `username` on sign-in pages, `off` for someone else's. */
@Component({ selector: 'adm-email-field', host: HOST, imports: IMPORTS, template: TEMPLATE })
export class EmailField extends TextField {
  readonly label = input('Email');
  readonly autocomplete = input<string | null>('email');
  protected readonly type = 'email';
  protected override readonly inputmode = 'email';
}

/** The password someone signs in with. */
@Component({ selector: 'adm-password-field', host: HOST, imports: IMPORTS, template: TEMPLATE })
export class PasswordField extends TextField {
  readonly label = input('Password');
  readonly autocomplete = input('current-password');
  protected readonly type = 'password';
}

/**
 * A password being chosen: the rule as its hint, and `autocomplete="new-password"` so a
 * password manager offers to make one.
 */
@Component({
  selector: 'adm-new-password-field',
  host: HOST,
  imports: IMPORTS,
  template: TEMPLATE,
})
export class NewPasswordField extends TextField {
  readonly label = input('Password');
  override readonly hint = input('At least 8 characters, with a letter and a digit.');
  readonly autocomplete = input('new-password');
  protected readonly type = 'password';
}

/**
 * A customer's phone number, with the phone keypad and no autofill (the number is the
 * customer's, not the user's); `[autocomplete]="null"` leaves the browser's default.
 */
@Component({ selector: 'adm-phone-field', host: HOST, imports: IMPORTS, template: TEMPLATE })
export class PhoneField extends TextField {
  readonly label = input('Customer phone');
  readonly autocomplete = input<string | null>('off');
  override readonly placeholder = input<string | null>('0771234567');
  protected readonly type = 'tel';
  protected override readonly inputmode = 'tel';
}

/** A loyalty rate (points per unit of money), with the decimal keypad. */
@Component({ selector: 'adm-rate-field', host: HOST, imports: IMPORTS, template: TEMPLATE })
export class RateField extends TextField {
  readonly label = input('Points per 1 unit spent');
  readonly autocomplete = input<string | null>(null);
  protected readonly type = 'text';
  protected override readonly inputmode = 'decimal';
}

/** What a form's template uses besides its own fields: the form, a labelled control, the footer. */
export const FORM_PARTS = [FormRoot, FormField, Field, Input, FormFooter] as const;
