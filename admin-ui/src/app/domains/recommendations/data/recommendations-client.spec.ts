import { flushError, useService } from '../../../../testing/http';
import { nearRewardRuleWire } from '../../../../testing/wire';
import { ApiError } from '../../../core/http/api-error';
import { RecommendationsClient } from './recommendations-client';

describe('RecommendationsClient', () => {
  const bed = useService(RecommendationsClient);

  it('reads the capabilities with their parameters and the ranking', async () => {
    const capabilities = bed.service.capabilities();
    bed.httpMock.expectOne('/customers/recommendations/capabilities').flush({
      rules: [
        nearRewardRuleWire('Tells a customer a reward is within reach.'),
        {
          rule: 'co_visit',
          title: 'Customers also visit',
          description: 'Learned from every customer’s visits.',
          parameters: { min_co_visits: 3, similarity: 'cosine' },
        },
      ],
      ranking: 'By rule, then by score; at most 5.',
      max_recommendations: 5,
    });
    expect(await capabilities).toEqual({
      rules: [
        {
          rule: 'near_reward',
          title: 'Close to a reward',
          description: 'Tells a customer a reward is within reach.',
          parameters: [
            { name: 'near_reward_fraction', value: '0.2' },
            { name: 'near_reward_percent', value: '20' },
          ],
        },
        {
          rule: 'co_visit',
          title: 'Customers also visit',
          description: 'Learned from every customer’s visits.',
          parameters: [
            { name: 'min_co_visits', value: '3' },
            { name: 'similarity', value: 'cosine' },
          ],
        },
      ],
      ranking: 'By rule, then by score; at most 5.',
      maxRecommendations: 5,
    });
  });

  it('reads and replaces the cross-promotion partners', async () => {
    const partners = bed.service.partners(3);
    bed.httpMock.expectOne('/businesses/3/cross_promotions').flush({
      partner_business_ids: [5, 8],
      partners: [
        { id: 5, name: 'Avondale Pharmacy' },
        { id: 8, name: 'Mbare Bakery' },
      ],
    });
    expect(await partners).toEqual({
      partnerIds: [5, 8],
      partners: [
        { id: 5, name: 'Avondale Pharmacy' },
        { id: 8, name: 'Mbare Bakery' },
      ],
    });

    const saved = bed.service.savePartners(3, [5]);
    const req = bed.httpMock.expectOne('/businesses/3/cross_promotions');
    expect(req.request.method).toBe('PUT');
    expect(req.request.body).toEqual({ partner_business_ids: [5] });
    req.flush({ partner_business_ids: [5], partners: [{ id: 5, name: 'Avondale Pharmacy' }] });
    expect(await saved).toEqual({
      partnerIds: [5],
      partners: [{ id: 5, name: 'Avondale Pharmacy' }],
    });
  });

  it('clears the partners with an empty list', async () => {
    const saved = bed.service.savePartners(3, []);
    const req = bed.httpMock.expectOne('/businesses/3/cross_promotions');
    expect(req.request.body).toEqual({ partner_business_ids: [] });
    req.flush({ partner_business_ids: [], partners: [] });
    expect(await saved).toEqual({ partnerIds: [], partners: [] });
  });

  it('surfaces a refused partner list as the service’s 422', async () => {
    const saved = bed.service.savePartners(3, [3]);
    flushError(
      bed.httpMock.expectOne('/businesses/3/cross_promotions'),
      422,
      'SelfPromotion',
      'A business cannot promote itself',
    );
    await expect(saved).rejects.toEqual(
      new ApiError(422, 'A business cannot promote itself', 'SelfPromotion'),
    );
  });

  it('reads the business directory', async () => {
    const list = bed.service.directory();
    const req = bed.httpMock.expectOne((r) => r.url === '/businesses');
    expect(req.request.params.get('limit')).toBe('200');
    req.flush([{ id: 5, name: 'Avondale Pharmacy' }]);
    expect(await list).toEqual([{ id: 5, name: 'Avondale Pharmacy' }]);
  });
});
