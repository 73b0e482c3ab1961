import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { Session } from '../../../core/auth/session';
import { settle } from '../../../../testing/dom';
import { Reward } from '../../shared/data/rewards-catalog';
import { TillStore } from './till-store';
import { awardWire, CREATED } from '../../../../testing/wire';

const REWARDS = [
  { id: 4, name: 'Free coffee', points_cost: 10 },
  { id: 5, name: 'Cake', points_cost: 30 },
  { id: 6, name: 'Old mug', points_cost: 5, active: false },
].map((r) => ({
  business_id: 3,
  description: '',
  active: true,
  created_at: '2026-11-01T10:00:00Z',
  updated_at: '2026-11-01T10:00:00Z',
  ...r,
}));
const COFFEE: Reward = {
  id: 4,
  name: 'Free coffee',
  description: '',
  pointsCost: 10,
  active: true,
};

function row(id: number, points: number) {
  return {
    id,
    type: points > 0 ? 'earn' : 'redeem',
    business_id: 3,
    business_name: 'Mbare Coffee',
    amount_spent: points > 0 ? String(points) : null,
    points,
    reward_description: points > 0 ? null : 'Free coffee',
    timestamp: '2026-11-01T10:00:00Z',
  };
}

describe('TillStore', () => {
  let store: TillStore;
  let httpMock: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: Session, useValue: { businessId: signal(3) } },
        TillStore,
      ],
    });
    httpMock = TestBed.inject(HttpTestingController);
    store = TestBed.inject(TillStore);
    TestBed.tick();
    httpMock.expectOne('/businesses/3').flush({ id: 3, name: 'Mbare', loyalty_rate: '2.0000' });
    httpMock.expectOne((r) => r.url === '/businesses/3/rewards').flush(REWARDS);
    await settle();
  });

  afterEach(() => httpMock.verify());

  /** The till reloads the customer after each change: answer with the new balance. */
  async function answerCustomer(points: number): Promise<void> {
    TestBed.tick();
    httpMock.expectOne('/businesses/3/customers/0771234567').flush({
      phone_number: '+263771234567',
      total_points: points,
      transactions: [],
    });
    await settle();
  }

  async function serve(points: number, transactions = [row(1, points)]): Promise<void> {
    store.lookUp('077 123 4567');
    TestBed.tick();
    httpMock.expectOne('/businesses/3/customers/0771234567').flush({
      phone_number: '+263771234567',
      total_points: points,
      transactions,
    });
    await settle();
  }

  it('shows the balance, the rewards affordable now and what the next one needs', async () => {
    await serve(25);
    expect(store.balance()).toBe(25);
    expect(store.affordable().map((r) => r.name)).toEqual(['Free coffee']);
    expect(store.nextReward()).toEqual({
      reward: expect.objectContaining({ name: 'Cake' }),
      missing: 5,
    });
  });

  it('lists only the last 5 transactions here', async () => {
    await serve(
      60,
      [1, 2, 3, 4, 5, 6, 7].map((id) => row(id, 10)),
    );
    expect(store.recent().map((t) => t.id)).toEqual([1, 2, 3, 4, 5]);
  });

  it('treats an unknown number as a new customer the first award creates', async () => {
    store.lookUp('0779999999');
    TestBed.tick();
    httpMock
      .expectOne('/businesses/3/customers/0779999999')
      .flush({ detail: 'x', error: 'CustomerNotFound' }, { status: 404, statusText: 'Not Found' });
    await settle();
    expect(store.isNew()).toBe(true);
    expect(store.lookUpProblem()).toBeNull();
    expect(store.affordable()).toEqual([]);
  });

  async function serveNew(): Promise<void> {
    store.lookUp('0779999999');
    TestBed.tick();
    httpMock
      .expectOne('/businesses/3/customers/0779999999')
      .flush({ detail: 'x', error: 'CustomerNotFound' }, { status: 404, statusText: 'Not Found' });
    await settle();
  }

  it('records who referred a first-time customer, then awards the sale', async () => {
    await serveNew();
    const done = store.award('10', 'k7p-x2m');
    const track = httpMock.expectOne('/referrals/track');
    expect(track.request.body).toEqual({
      business_id: 3,
      new_customer_phone_number: '0779999999',
      referral_code_used: 'K7PX2M',
    });
    expect(track.request.headers.get('Idempotency-Key')).toBeTruthy();
    track.flush(
      { id: 7, referrer_phone_number: '+263771234567' },
      { status: 201, statusText: 'Created' },
    );
    await settle();
    httpMock
      .expectOne('/transactions/add_points')
      .flush(awardWire(9, '+263779999999', 20, 20), CREATED);
    expect(await done).toEqual({ outcome: 'awarded' });
    expect(store.message()?.text).toBe(
      'Added 20 points for +263 77 999 9999. New balance: 20 points. Referred by +263 77 123 4567: the referral is pending in Referrals, where the owner can complete it.',
    );
    await answerNew();
  });

  it('awards nothing when the referral is refused, and says why on the field', async () => {
    await serveNew();
    const done = store.award('10', '0772222222');
    const track = httpMock.expectOne('/referrals/track');
    expect(track.request.body.referrer_phone_number).toBe('0772222222');
    track.flush(
      { detail: 'not a customer', error: 'ReferrerNotACustomer' },
      { status: 422, statusText: 'Unprocessable' },
    );
    expect(await done).toEqual({
      outcome: 'refused',
      fields: { referred_by: 'The referrer must be a customer who has bought here before.' },
    });
    httpMock.expectNone('/transactions/add_points');
    expect(store.message()?.kind).toBe('error');
  });

  /** After an award to the new customer the till looks them up again. */
  async function answerNew(): Promise<void> {
    TestBed.tick();
    httpMock.expectOne('/businesses/3/customers/0779999999').flush({
      phone_number: '+263779999999',
      total_points: 20,
      transactions: [],
    });
    await settle();
  }

  it('awards points and replaces any earlier message with the new one', async () => {
    await serve(25);
    const done = store.award('12.50');
    const req = httpMock.expectOne('/transactions/add_points');
    expect(req.request.body).toEqual({
      business_id: 3,
      customer_phone_number: '0771234567',
      amount_spent: '12.50',
    });
    req.flush(awardWire(9, '+263771234567', 25, 50), CREATED);
    expect(await done).toEqual({ outcome: 'awarded' });
    expect(store.message()).toEqual({
      kind: 'success',
      text: 'Added 25 points for +263 77 123 4567. New balance: 50 points.',
    });
    await answerCustomer(50);

    // A later refusal replaces the success message: never both on screen.
    const refused = store.award('5');
    httpMock
      .expectOne('/transactions/add_points')
      .flush(
        { detail: 'Input should be less than or equal to 1000000', errors: [] },
        { status: 503, statusText: 'Unavailable' },
      );
    await refused;
    expect(store.message()?.kind).toBe('error');
    expect(store.message()?.text).not.toContain('Added');
  });

  it('refuses a sale that would earn 0 points, saying why, and sends nothing', async () => {
    await serve(25);
    const result = await store.award('0.40');
    expect(result.outcome).toBe('refused');
    expect(store.message()).toEqual({
      kind: 'error',
      text: 'A sale of $0.40 earns 0 points at your rate of 2 per $1, so nothing was recorded.',
    });
    httpMock.expectNone('/transactions/add_points');
  });

  it('says a too-large amount in its own words, not the server’s', async () => {
    await serve(25);
    const result = store.award('2000000');
    httpMock.expectOne('/transactions/add_points').flush(
      {
        detail: 'Invalid input',
        error: 'InvalidInput',
        errors: [
          {
            field: 'body.amount_spent',
            message: 'Input should be less than or equal to 1000000',
            type: 'less_than_equal',
          },
        ],
      },
      { status: 422, statusText: 'Unprocessable Entity' },
    );
    const { outcome, fields } = await result;
    expect(outcome).toBe('refused');
    expect(fields).toEqual({ amount_spent: 'Enter an amount up to $1,000,000.' });
    expect(store.message()?.text).not.toContain('1000000');
  });

  it('redeems a catalog reward in one tap when no consent code is asked for', async () => {
    await serve(25);
    const done = store.redeem(COFFEE);
    const req = httpMock.expectOne('/transactions/redeem_points');
    expect(req.request.body).toEqual({
      business_id: 3,
      customer_phone_number: '0771234567',
      points_to_redeem: 10,
      reward_description: 'Free coffee',
      reward_id: 4,
    });
    req.flush(
      { transaction_id: 7, points_redeemed: 10, total_points: 15 },
      { status: 201, statusText: 'Created' },
    );
    expect(await done).toBe(true);
    expect(store.message()?.text).toBe(
      'Redeemed Free coffee for 10 points. New balance: 15 points.',
    );
    await answerCustomer(15);
  });

  it('asks the customer for a code on 428, then redeems with it', async () => {
    await serve(25);
    const first = store.redeem(COFFEE);
    httpMock
      .expectOne('/transactions/redeem_points')
      .flush(
        { detail: 'Code needed', error: 'CustomerCodeRequired' },
        { status: 428, statusText: 'Precondition Required' },
      );
    await settle();
    const ask = httpMock.expectOne('/transactions/redemption_codes');
    expect(ask.request.body).toEqual({ business_id: 3, customer_phone_number: '0771234567' });
    ask.flush(null, { status: 202, statusText: 'Accepted' });
    expect(await first).toBe(false);
    expect(store.consent()?.reward.name).toBe('Free coffee');
    expect(store.message()?.text).toContain('We texted +263 77 123 4567 a 6-digit code');

    // A wrong code: said plainly, the question stays open.
    const wrong = store.confirmCode('111111');
    const wrongReq = httpMock.expectOne('/transactions/redeem_points');
    expect(wrongReq.request.body.customer_code).toBe('111111');
    wrongReq.flush(
      { detail: 'Wrong', error: 'InvalidCustomerCode' },
      { status: 403, statusText: 'Forbidden' },
    );
    expect(await wrong).toBe(false);
    expect(store.message()).toEqual({
      kind: 'error',
      text: 'That code is not right. Check it with the customer, or send a new one.',
    });
    expect(store.consent()).not.toBeNull();

    const right = store.confirmCode('123456');
    httpMock
      .expectOne(
        (r) => r.url === '/transactions/redeem_points' && r.body.customer_code === '123456',
      )
      .flush(
        { transaction_id: 8, points_redeemed: 10, total_points: 15 },
        { status: 201, statusText: 'Created' },
      );
    expect(await right).toBe(true);
    expect(store.consent()).toBeNull();
    await answerCustomer(15);

    // The same visit: the code goes with the next redemption, no new SMS.
    const again = store.redeem(COFFEE);
    const againReq = httpMock.expectOne('/transactions/redeem_points');
    expect(againReq.request.body.customer_code).toBe('123456');
    againReq.flush(
      { transaction_id: 10, points_redeemed: 10, total_points: 5 },
      { status: 201, statusText: 'Created' },
    );
    await again;
    await answerCustomer(5);

    // The next customer starts without it.
    store.nextCustomer();
    expect(store.phone()).toBeNull();
    expect(store.message()).toBeNull();
  });

  it('reloads a stale balance when the server says the points are not there', async () => {
    await serve(25);
    const done = store.redeem(COFFEE);
    httpMock
      .expectOne('/transactions/redeem_points')
      .flush(
        { detail: 'The customer has 5 points and needs 10 points', error: 'InsufficientPoints' },
        { status: 409, statusText: 'Conflict' },
      );
    expect(await done).toBe(false);
    expect(store.message()?.text).toBe(
      'Not redeemed: the customer no longer has 10 points. Their balance is updated.',
    );
    await answerCustomer(5);
    expect(store.affordable()).toEqual([]);
  });

  it('reloads the catalog when the reward changed meanwhile', async () => {
    await serve(25);
    const done = store.redeem(COFFEE);
    httpMock
      .expectOne('/transactions/redeem_points')
      .flush(
        { detail: 'Reward inactive', error: 'RewardInactive' },
        { status: 422, statusText: 'Unprocessable Entity' },
      );
    await done;
    expect(store.message()?.text).toBe('Not redeemed. This reward is no longer offered.');
    TestBed.tick();
    httpMock.expectOne((r) => r.url === '/businesses/3/rewards').flush([]);
    await settle();
  });
});
