import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { RecommendationsClient, toCapabilities, toPartnerIds } from './recommendations-client';

describe('RecommendationsClient', () => {
  let client: RecommendationsClient;
  let httpMock: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    client = TestBed.inject(RecommendationsClient);
    httpMock = TestBed.inject(HttpTestingController);
  });

  afterEach(() => httpMock.verify());

  it('reads the capabilities', async () => {
    const list = client.capabilities();
    httpMock.expectOne('/customers/recommendations/capabilities').flush({
      rules: [
        {
          rule: 'near_reward',
          title: 'Almost there',
          description: 'Tells a customer a reward is within reach.',
          parameters: { within_points: 50 },
        },
      ],
    });
    expect(await list).toEqual([
      {
        rule: 'near_reward',
        title: 'Almost there',
        description: 'Tells a customer a reward is within reach.',
        parameters: [{ name: 'within_points', value: '50' }],
      },
    ]);
  });

  it('reads and replaces the cross-promotion partners', async () => {
    const partners = client.partners(3);
    httpMock.expectOne('/businesses/3/cross_promotions').flush({ partner_business_ids: [5, 8] });
    expect(await partners).toEqual([5, 8]);

    const saved = client.savePartners(3, [5]);
    const req = httpMock.expectOne('/businesses/3/cross_promotions');
    expect(req.request.method).toBe('PUT');
    expect(req.request.body).toEqual({ partner_business_ids: [5] });
    req.flush({ partner_business_ids: [5] });
    expect(await saved).toEqual([5]);
  });

  it('reads the business directory', async () => {
    const list = client.directory();
    const req = httpMock.expectOne((r) => r.url === '/businesses');
    expect(req.request.params.get('limit')).toBe('200');
    req.flush([{ id: 5, name: 'Avondale Pharmacy' }]);
    expect(await list).toEqual([{ id: 5, name: 'Avondale Pharmacy' }]);
  });
});

describe('mapping guesses', () => {
  it('accepts other plausible shapes', () => {
    expect(toPartnerIds([2, 3])).toEqual([2, 3]);
    expect(toPartnerIds({ partners: [{ id: 4, name: 'X' }] })).toEqual([4]);
    expect(toCapabilities([{ rule: 'lapsed_customer', parameters: ['days'] }])).toEqual([
      {
        rule: 'lapsed_customer',
        title: 'Lapsed customer',
        description: '',
        parameters: [{ name: 'days', value: null }],
      },
    ]);
  });
});
