import { emptyPageState } from './page-navigation';

describe('an empty page of a cursor-paged list', () => {
  it('given an empty first page with no cursor, when shown, then it says there is nothing and offers no paging', () => {
    expect(emptyPageState({ items: [], nextCursor: null }, false)).toEqual({
      searchedAll: true,
      pager: false,
    });
  });

  it('given an empty page whose search stopped early (a cursor to go on), when shown, then it says older ones may match and offers Older', () => {
    // A rare combination of filters: the api bounds one page's reads and answers a cursor.
    expect(emptyPageState({ items: [], nextCursor: 'c2' }, false)).toEqual({
      searchedAll: false,
      pager: true,
    });
  });

  it('given an empty later page with nothing older, when shown, then Newer stays offered', () => {
    expect(emptyPageState({ items: [], nextCursor: null }, true)).toEqual({
      searchedAll: true,
      pager: true,
    });
  });
});
