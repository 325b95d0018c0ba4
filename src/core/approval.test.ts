import { describe, expect, it } from 'vitest';
import { approvalStep, type ApprovalPolicy, type ApprovalStep } from './approval.ts';

const ON: ApprovalPolicy = { secondPerson: true, kinds: ['disclosure', 'emergency', 'prospective'] };
const request = { kind: 'disclosure' as const, version: 4 };
const first: ApprovalStep = { approvedBy: 'reviewer-1', isCounsel: false, decisionSha256: 'aaa', requestVersion: 4 };

describe('the two-person approval rule', () => {
  it('lets one approval take effect when the policy is off, or for a kind it does not cover', () => {
    expect(
      approvalStep({ ...ON, secondPerson: false }, request, undefined, { userId: 'c', isCounsel: true, decisionSha256: 'aaa' }),
    ).toEqual({
      step: 'single',
    });
    expect(
      approvalStep(ON, { kind: 'preservation', version: 1 }, undefined, { userId: 'c', isCounsel: true, decisionSha256: 'aaa' }),
    ).toEqual({ step: 'single' });
  });

  it('records a first approval when none stands, or the standing one is for another decision or an older request', () => {
    const counsel = { userId: 'counsel-1', isCounsel: true, decisionSha256: 'aaa' };
    expect(approvalStep(ON, request, undefined, counsel).step).toBe('first');
    expect(approvalStep(ON, request, { ...first, decisionSha256: 'bbb' }, counsel).step).toBe('first');
    expect(approvalStep(ON, request, { ...first, requestVersion: 3 }, counsel).step).toBe('first');
  });

  it('takes effect on a second person approving the same decision, one of the two counsel', () => {
    expect(approvalStep(ON, request, first, { userId: 'counsel-1', isCounsel: true, decisionSha256: 'aaa' })).toEqual({
      step: 'second',
      firstApprover: 'reviewer-1',
    });
    expect(
      approvalStep(ON, request, { ...first, isCounsel: true }, { userId: 'reviewer-2', isCounsel: false, decisionSha256: 'aaa' }).step,
    ).toBe('second');
  });

  it('refuses the same person twice, and two people neither of whom is counsel', () => {
    expect(approvalStep(ON, request, first, { userId: 'reviewer-1', isCounsel: false, decisionSha256: 'aaa' })).toMatchObject({
      step: 'refused',
      code: 'SECOND_PERSON_REQUIRED',
    });
    expect(approvalStep(ON, request, first, { userId: 'reviewer-2', isCounsel: false, decisionSha256: 'aaa' })).toMatchObject({
      step: 'refused',
      code: 'SECOND_PERSON_REQUIRED',
    });
  });
});
