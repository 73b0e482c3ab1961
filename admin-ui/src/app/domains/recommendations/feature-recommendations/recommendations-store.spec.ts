import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { businessSession, setUpService } from '../../../../testing/http';
import { settle } from '../../../../testing/dom';
import { nearRewardRuleWire } from '../../../../testing/wire';
import { RecommendationsStore, SEARCH_RESULTS } from './recommendations-store';

describe('RecommendationsStore', () => {
  let store: RecommendationsStore;
  let httpMock: HttpTestingController;

  beforeEach(async () => {
    ({ service: store, httpMock } = setUpService(RecommendationsStore, {
      providers: [businessSession()],
    }));
    httpMock.expectOne('/customers/recommendations/capabilities').flush({
      rules: [nearRewardRuleWire('fraction 0.2')],
      ranking: 'By rule (near_reward)',
      max_recommendations: 5,
    });
    httpMock
      .expectOne('/businesses/3/cross_promotions')
      .flush({ partner_business_ids: [7], partners: [{ id: 7, name: 'Avondale Bakery' }] });
    await settle();
  });

  afterEach(() => httpMock.verify());

  it('lists no business until a name is typed, then only the matches', async () => {
    expect(store.rules()[0].text).toContain('20%');
    httpMock.expectNone((r) => r.url === '/businesses');
    store.search('bak');
    TestBed.tick();
    const req = httpMock.expectOne((r) => r.url === '/businesses');
    expect(req.request.params.get('q')).toBe('bak');
    expect(req.request.params.get('limit')).toBe(String(SEARCH_RESULTS + 1));
    req.flush([
      { id: 3, name: 'My own bakery' },
      { id: 7, name: 'Avondale Bakery' },
      { id: 8, name: 'Borrowdale Bakery' },
    ]);
    await settle();
    expect(store.results().map((b) => b.name)).toEqual(['Avondale Bakery', 'Borrowdale Bakery']);
    expect(store.isChosen(7)).toBe(true);
  });

  it('saves the chosen partners', async () => {
    store.toggle({ id: 8, name: 'Borrowdale Bakery' });
    store.toggle({ id: 7, name: 'Avondale Bakery' });
    const saved = store.save();
    const req = httpMock.expectOne('/businesses/3/cross_promotions');
    expect(req.request.body).toEqual({ partner_business_ids: [8] });
    req.flush({ partner_business_ids: [8], partners: [{ id: 8, name: 'Borrowdale Bakery' }] });
    await saved;
    expect(store.chosen().map((b) => b.name)).toEqual(['Borrowdale Bakery']);
    expect(store.message()).toEqual({ kind: 'success', text: 'Partners saved.' });
  });
});
