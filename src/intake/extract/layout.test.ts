import { describe, expect, it } from 'vitest';
import { flow, layoutOf, zonesAt } from './layout.ts';

describe('layout', () => {
  it('flows a hard-wrapped paragraph into one line without moving any offset', () => {
    const text =
      'Please preserve all records of the account registered to\nthe address below for the period from January 1,\n2025 to May 31, 2025.\n\nUsername: abc_1';
    const flowed = flow(text);
    expect(flowed).toHaveLength(text.length);
    expect(flowed).toContain('registered to the address below');
    expect(flowed).toContain('January 1, 2025 to May 31, 2025.');
    // A label starts its own line.
    expect(flowed).toContain('\n\nUsername: abc_1');
  });

  it('finds a letterhead, a caption, the address block and the signature', () => {
    const text = [
      'Subject line',
      '',
      'Example County Sheriff’s Office',
      '100 Main Street, Springfield',
      'Tel: (217) 555-0142  Fax: (217) 555-0143',
      '',
      'IN THE CIRCUIT COURT OF EXAMPLE COUNTY',
      'In the Matter of the Search of Information Associated with the account jdoe_1',
      '',
      'To: Custodian of Records',
      'Example Platform Inc.',
      '',
      'Please produce subscriber information for the account jdoe_1 for the period stated in the attached order, which the court issued on the application of this office.',
      '',
      'Sincerely,',
      'Det. Ann Roe',
      'Tel: (217) 555-0144',
    ].join('\n');
    const layout = layoutOf(text);
    const kinds = layout.zones.map((zone) => zone.kind);
    expect(kinds).toEqual(expect.arrayContaining(['letterhead', 'caption', 'addressee', 'signature']));
    expect(zonesAt(layout, text.indexOf('Fax:'))).toContain('letterhead');
    expect(zonesAt(layout, text.indexOf('IN THE CIRCUIT'))).toContain('caption');
    expect(zonesAt(layout, text.indexOf('Custodian'))).toContain('addressee');
    expect(zonesAt(layout, text.indexOf('Please produce'))).toEqual(['body']);
    expect(zonesAt(layout, text.indexOf('Det. Ann'))).toContain('signature');
  });

  it('marks a publisher’s note and a quoted earlier message', () => {
    const text =
      'Re: request\n\nThanks, see below.\n\nOn Mon, 3 Mar 2025 at 10:00, Officer Doe wrote:\n> Please preserve @old_handle.\n\n[The following translation has been added by the publisher]\nSome text.';
    const layout = layoutOf(text);
    expect(zonesAt(layout, text.indexOf('> Please'))).toContain('quoted');
    expect(zonesAt(layout, text.indexOf('[The following'))).toContain('annotation');
  });
});
