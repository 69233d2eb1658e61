import { OperationLabels } from '../../src/observability/operation-labels';

it('bounds operation labels: named, anonymous by root field, then other', () => {
  const labels = new OperationLabels(3);
  expect(labels.label('GetCi', 'ci')).toBe('GetCi');
  expect(labels.label(null, 'impact')).toBe('anonymous:impact');
  expect(labels.label(undefined, null)).toBe('anonymous');
  expect(labels.label('Later', 'ci')).toBe('other');
  expect(labels.label('GetCi', 'cis')).toBe('GetCi');
  // Not a GraphQL name (never reaches a label as is).
  expect(new OperationLabels(10).label('x"} 1\nfake_metric 2', 'ci')).toBe('other');
});
