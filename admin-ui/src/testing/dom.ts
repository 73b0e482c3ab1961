/**
 * Small helpers for component tests: type into a control, submit a form, let promises and the
 * renderer settle, and read text — the way a person meets the page.
 */
import { ComponentFixture } from '@angular/core/testing';

/** Let pending promise callbacks (form submission, awaited HTTP results) run. */
export async function settle(fixture?: ComponentFixture<unknown>): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  fixture?.detectChanges();
}

function element<T extends Element>(fixture: ComponentFixture<unknown>, selector: string): T {
  const found = (fixture.nativeElement as HTMLElement).querySelector<T>(selector);
  if (!found) {
    throw new Error(`No element matches ${selector}`);
  }
  return found;
}

/** Type `value` into the control matching `selector` (input event, then blur). */
export function typeInto(
  fixture: ComponentFixture<unknown>,
  selector: string,
  value: string,
): void {
  const control = element<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
    fixture,
    selector,
  );
  control.value = value;
  control.dispatchEvent(new Event('input', { bubbles: true }));
  control.dispatchEvent(new Event('change', { bubbles: true }));
  control.dispatchEvent(new Event('blur'));
  fixture.detectChanges();
}

/** Click the element matching `selector`. */
export function click(fixture: ComponentFixture<unknown>, selector: string): void {
  element<HTMLElement>(fixture, selector).click();
  fixture.detectChanges();
}

/** Click the button whose text contains `label`. */
export function clickButton(fixture: ComponentFixture<unknown>, label: string): void {
  const buttons = Array.from((fixture.nativeElement as HTMLElement).querySelectorAll('button'));
  const button = buttons.find((b) => b.textContent?.includes(label));
  if (!button) {
    throw new Error(`No button labelled ${label}`);
  }
  button.click();
  fixture.detectChanges();
}

/** The page's visible text, whitespace collapsed. */
export function textOf(fixture: ComponentFixture<unknown>, selector?: string): string {
  const root = fixture.nativeElement as HTMLElement;
  const target = selector ? root.querySelector(selector) : root;
  return (target?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The texts of every field error shown. */
export function fieldErrors(fixture: ComponentFixture<unknown>): string[] {
  return Array.from(
    (fixture.nativeElement as HTMLElement).querySelectorAll('[data-testid="field-error"]'),
  ).map((e) => (e.textContent ?? '').trim());
}
