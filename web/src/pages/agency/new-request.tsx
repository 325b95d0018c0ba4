/**
 * The guided request form: kind, legal process with its documents (uploaded with progress, previewed), targets pasted
 * as a list and recognised one by one, categories, dates, orders and the emergency attestation — with the findings
 * Writ would make shown beside it as it is written.
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Grid,
  Group,
  MultiSelect,
  NativeSelect,
  NumberInput,
  Progress,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { recognizeIdentifier, splitIdentifierList } from '../../../../src/core/identifiers.ts';
import {
  DATA_CATEGORIES,
  IDENTIFIER_KINDS,
  INSTRUMENT_TYPES,
  ISSUER_TYPES,
  REQUEST_KINDS,
  type IdentifierKind,
} from '../../../../src/core/request.ts';
import {
  INSTRUMENT_FORMS,
  ISSUER_ROLES,
  OFFENCE_LISTS,
  PROTECTED_STATUSES,
  TARGET_ROLES,
  formsFor,
  issuerRolesFor,
  offenceListsFor,
  type InstrumentForm,
  type IssuerRole,
  type OffenceList,
  type ProtectedStatus,
  type TargetRole,
} from '../../../../src/core/review/vocabulary.ts';
import { api, ApiError, unwrap, uploadDocument, type DraftRequest, type SubmitRequest, type UploadedDocument } from '../../api/client';
import { DocumentBytes } from '../../components/document-viewer';
import { FindingsList } from '../../components/request-parts';
import { errorText, ErrorState } from '../../components/states';
import { useFormat } from '../../format';
import { RequireSignIn } from '../../components/require-sign-in';

const JURISDICTIONS = ['KR', 'US', 'GB', 'FR', 'IN', 'EU', 'COE'] as const;
/** Targets the form offers per-target facts for; a longer list is stated through the API. */
const FACT_TARGETS = 50;

type StatedFacts = NonNullable<DraftRequest['facts']>;
interface TargetFactsEntry {
  readonly role?: TargetRole;
  readonly named?: 'yes' | 'no';
  readonly residence?: string;
  readonly protected?: readonly ProtectedStatus[];
}

/** A vocabulary entry as the officer reads it: the English name, and the law's own words when they differ. */
const vocabularyLabel = (entry: { readonly en: string; readonly original?: string }) =>
  entry.original ? `${entry.en} — ${entry.original}` : entry.en;

/** The facts the form's choices state, or undefined when it states none. */
function statedFacts(input: {
  form: InstrumentForm | '';
  issuerRole: IssuerRole | '';
  lists: readonly OffenceList[];
  penalty: number | string;
  targets: ReadonlyArray<{ value: string }>;
  perTarget: Readonly<Record<string, TargetFactsEntry>>;
}): StatedFacts | undefined {
  const instrument = {
    ...(input.form ? { form: input.form } : {}),
    ...(input.issuerRole ? { issuerRole: input.issuerRole } : {}),
  };
  const offence = {
    ...(typeof input.penalty === 'number' ? { maxPenaltyYears: input.penalty } : {}),
    ...(input.lists.length > 0 ? { lists: [...input.lists] } : {}),
  };
  const targets = input.targets.slice(0, FACT_TARGETS).flatMap((target) => {
    const given = input.perTarget[target.value];
    if (!given) return [];
    const residence = given.residence?.trim().toUpperCase();
    const entry = {
      ...(given.role ? { role: given.role } : {}),
      ...(given.named ? { named: given.named === 'yes' } : {}),
      ...(residence && /^[A-Z]{2}$/.test(residence) ? { residence } : {}),
      ...(given.protected && given.protected.length > 0 ? { protected: [...given.protected] } : {}),
    };
    return Object.keys(entry).length > 0 ? [{ value: target.value, ...entry }] : [];
  });
  const facts: StatedFacts = {
    ...(Object.keys(instrument).length > 0 ? { instrument } : {}),
    ...(Object.keys(offence).length > 0 ? { offence } : {}),
    ...(targets.length > 0 ? { targets } : {}),
  };
  return Object.keys(facts).length > 0 ? facts : undefined;
}

interface Attachment {
  readonly key: string;
  readonly file: File;
  readonly bytes: ArrayBuffer;
  progress: number;
  uploaded?: UploadedDocument;
  error?: unknown;
}

function Section({ number, title, children }: { number: number; title: string; children: ReactNode }) {
  return (
    <Card withBorder padding="md" component="section" aria-labelledby={`section-${number}`}>
      <Stack gap="sm">
        <Title order={2} size="h4" id={`section-${number}`}>
          {number}. {title}
        </Title>
        {children}
      </Stack>
    </Card>
  );
}

function NewRequestForm() {
  const { t } = useTranslation();
  const format = useFormat();
  const navigate = useNavigate();
  const agency = useQuery({ queryKey: ['agency'], queryFn: () => unwrap(api.GET('/api/v1/agency')) });
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [kind, setKind] = useState<(typeof REQUEST_KINDS)[number]>('disclosure');
  const [jurisdictionChoice, setJurisdiction] = useState<string | null>(null);
  const jurisdiction = jurisdictionChoice ?? agency.data?.jurisdiction ?? 'KR';
  const [caseReference, setCaseReference] = useState('');
  const [summary, setSummary] = useState('');
  const [instrumentType, setInstrumentType] = useState<(typeof INSTRUMENT_TYPES)[number]>('search_warrant');
  const [issuerType, setIssuerType] = useState<(typeof ISSUER_TYPES)[number]>('court');
  const [issuingAuthority, setIssuingAuthority] = useState('');
  const [instrumentReference, setInstrumentReference] = useState('');
  const [issuedOn, setIssuedOn] = useState('');
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [previewing, setPreviewing] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const [targetsText, setTargetsText] = useState('');
  const [kindOverrides, setKindOverrides] = useState<Record<string, IdentifierKind>>({});
  const [categories, setCategories] = useState<string[]>(['subscriber']);
  const [dateFrom, setDateFrom] = useState('');
  const [dateTo, setDateTo] = useState('');
  const [offence, setOffence] = useState('');
  const [penalty, setPenalty] = useState<number | string>('');
  const [nonDisclosure, setNonDisclosure] = useState(false);
  const [nonDisclosureUntil, setNonDisclosureUntil] = useState('');
  const [danger, setDanger] = useState('');
  const [attested, setAttested] = useState(false);
  const [statingFacts, setStatingFacts] = useState(false);
  const [formChoice, setForm] = useState<InstrumentForm | ''>('');
  const [issuerRoleChoice, setIssuerRole] = useState<IssuerRole | ''>('');
  const [listChoice, setLists] = useState<OffenceList[]>([]);
  const [perTarget, setPerTarget] = useState<Record<string, TargetFactsEntry>>({});

  const targets = useMemo(
    () =>
      splitIdentifierList(targetsText).map((value) => ({ value, kind: kindOverrides[value] ?? recognizeIdentifier(value, jurisdiction) })),
    [targetsText, kindOverrides, jurisdiction],
  );

  // The choices open to the jurisdiction chosen; a choice it does not offer is not sent.
  const forms = useMemo(() => formsFor(jurisdiction), [jurisdiction]);
  const issuerRoles = useMemo(() => issuerRolesFor(jurisdiction).filter((role) => role !== 'unknown'), [jurisdiction]);
  const offenceLists = useMemo(() => offenceListsFor(jurisdiction), [jurisdiction]);
  const form = formChoice && forms.includes(formChoice) ? formChoice : '';
  const issuerRole = issuerRoleChoice && (issuerRoles as readonly string[]).includes(issuerRoleChoice) ? issuerRoleChoice : '';
  const lists = listChoice.filter((list) => offenceLists.includes(list));
  const facts = statingFacts ? statedFacts({ form, issuerRole, lists, penalty, targets, perTarget }) : undefined;
  const setTargetFact = (value: string, change: Partial<TargetFactsEntry>) =>
    setPerTarget((current) => ({ ...current, [value]: { ...current[value], ...change } }));

  const update = (key: string, change: Partial<Attachment>) =>
    setAttachments((current) => current.map((attachment) => (attachment.key === key ? { ...attachment, ...change } : attachment)));
  const attach = async (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      const key = crypto.randomUUID();
      const bytes = await file.arrayBuffer();
      setAttachments((current) => [...current, { key, file, bytes, progress: 0 }]);
      setPreviewing(key);
      uploadDocument(file, (fraction) => update(key, { progress: fraction })).then(
        (uploaded) => update(key, { uploaded, progress: 1 }),
        (error: unknown) => update(key, { error }),
      );
    }
    if (fileInput.current) fileInput.current.value = '';
  };

  const draft: DraftRequest = {
    kind,
    jurisdiction,
    ...(caseReference.trim() ? { caseReference: caseReference.trim() } : {}),
    ...(summary.trim() ? { summary: summary.trim() } : {}),
    legalProcess: {
      instrumentType,
      issuerType,
      ...(issuingAuthority.trim() ? { issuingAuthority: issuingAuthority.trim() } : {}),
      ...(instrumentReference.trim() ? { reference: instrumentReference.trim() } : {}),
      ...(issuedOn ? { issuedOn } : {}),
      documentIds: attachments.flatMap((attachment) => (attachment.uploaded ? [attachment.uploaded.id] : [])),
    },
    targets: targets.map((target) => ({ kind: target.kind, value: target.value })),
    categories: categories as DraftRequest['categories'],
    ...(dateFrom && dateTo ? { dateRange: { from: `${dateFrom}T00:00:00Z`, to: `${dateTo}T23:59:59Z` } } : {}),
    ...(offence.trim()
      ? { offence: { description: offence.trim(), ...(typeof penalty === 'number' ? { maximumPenaltyYears: penalty } : {}) } }
      : {}),
    ...(nonDisclosure ? { nonDisclosure: { ordered: true, ...(nonDisclosureUntil ? { until: nonDisclosureUntil } : {}) } } : {}),
    ...(kind === 'emergency' ? { emergency: { dangerDescription: danger.trim(), attestation: attested } } : {}),
    ...(facts ? { facts } : {}),
  };
  const [debounced] = useDebouncedValue(JSON.stringify(draft), 400);
  const preview = useQuery({
    queryKey: ['preview-findings', debounced],
    queryFn: () => unwrap(api.POST('/api/v1/requests/preview-findings', { body: JSON.parse(debounced) as DraftRequest })),
    placeholderData: (previous) => previous,
    enabled: !!agency.data,
  });

  const missing = [
    ...(targets.length === 0 ? [t('form.targets')] : []),
    ...(categories.length === 0 ? [t('form.categories')] : []),
    ...(kind === 'emergency' && (!danger.trim() || !attested) ? [t('form.emergencyTitle')] : []),
    ...(attachments.some((attachment) => !attachment.uploaded && !attachment.error) ? [t('form.documents')] : []),
  ];
  const submit = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/requests', {
          params: { header: { 'idempotency-key': idempotencyKey } },
          body: draft as SubmitRequest,
        }),
      ),
    onSuccess: (receipt) => void navigate({ to: '/agency/requests/$tracking', params: { tracking: receipt.trackingNumber } }),
  });

  const option = <T extends string>(values: readonly T[], group: string) =>
    values.map((value) => ({ value, label: t(`${group}.${value}`) }));

  return (
    <Stack>
      <Anchor component={Link} to="/agency" size="sm">
        ← {t('request.back')}
      </Anchor>
      <div>
        <Title order={1}>{t('form.title')}</Title>
        <Text c="dimmed" size="sm" maw={760}>
          {t('form.intro')}
        </Text>
      </div>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (missing.length === 0) submit.mutate();
            }}
            noValidate
          >
            <Stack>
              <Section number={1} title={t('form.steps.kind')}>
                <NativeSelect
                  label={t('form.kind')}
                  description={t(`kindHelp.${kind}`)}
                  value={kind}
                  onChange={(event) => setKind(event.currentTarget.value as typeof kind)}
                  data={option(REQUEST_KINDS, 'kinds')}
                />
                <Group grow align="flex-start" wrap="wrap">
                  <NativeSelect
                    label={t('form.jurisdiction')}
                    value={jurisdiction}
                    onChange={(event) => setJurisdiction(event.currentTarget.value)}
                    data={[...JURISDICTIONS]}
                    miw={160}
                  />
                  <TextInput
                    label={t('form.caseReference')}
                    value={caseReference}
                    onChange={(event) => setCaseReference(event.currentTarget.value)}
                    miw={200}
                  />
                </Group>
                <Textarea
                  label={t('form.summary')}
                  autosize
                  minRows={2}
                  value={summary}
                  onChange={(event) => setSummary(event.currentTarget.value)}
                />
              </Section>

              <Section number={2} title={t('form.steps.legal')}>
                <Group grow align="flex-start" wrap="wrap">
                  <NativeSelect
                    label={t('form.instrumentType')}
                    value={instrumentType}
                    onChange={(event) => setInstrumentType(event.currentTarget.value as typeof instrumentType)}
                    data={option(INSTRUMENT_TYPES, 'instruments')}
                    miw={200}
                  />
                  <NativeSelect
                    label={t('form.issuerType')}
                    value={issuerType}
                    onChange={(event) => setIssuerType(event.currentTarget.value as typeof issuerType)}
                    data={option(ISSUER_TYPES, 'issuers')}
                    miw={160}
                  />
                </Group>
                <Group grow align="flex-start" wrap="wrap">
                  <TextInput
                    label={t('form.issuingAuthority')}
                    value={issuingAuthority}
                    onChange={(event) => setIssuingAuthority(event.currentTarget.value)}
                    miw={200}
                  />
                  <TextInput
                    label={t('form.reference')}
                    value={instrumentReference}
                    onChange={(event) => setInstrumentReference(event.currentTarget.value)}
                    miw={160}
                  />
                  <TextInput
                    type="date"
                    label={t('form.issuedOn')}
                    value={issuedOn}
                    onChange={(event) => setIssuedOn(event.currentTarget.value)}
                    miw={150}
                  />
                </Group>
                <Stack gap="xs">
                  <Text fw={500} size="sm">
                    {t('form.documents')}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('form.documentsHelp')}
                  </Text>
                  <input
                    ref={fileInput}
                    type="file"
                    accept="application/pdf,image/png,image/jpeg"
                    multiple
                    hidden
                    aria-hidden
                    tabIndex={-1}
                    data-testid="document-input"
                    onChange={(event) => void attach(event.currentTarget.files)}
                  />
                  <Button variant="light" onClick={() => fileInput.current?.click()} w="fit-content">
                    {t('form.chooseFile')}
                  </Button>
                  {attachments.map((attachment) => (
                    <Card key={attachment.key} withBorder padding="sm">
                      <Stack gap={6}>
                        <Group justify="space-between" wrap="nowrap">
                          <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
                            {attachment.file.name} · {format.bytes(attachment.file.size)}
                          </Text>
                          <Group gap="xs" wrap="nowrap">
                            <Button
                              size="xs"
                              variant="subtle"
                              onClick={() => setPreviewing(previewing === attachment.key ? null : attachment.key)}
                              aria-expanded={previewing === attachment.key}
                            >
                              {t('form.preview')}
                            </Button>
                            <Button
                              size="xs"
                              variant="subtle"
                              color="red"
                              onClick={() => setAttachments((current) => current.filter((other) => other.key !== attachment.key))}
                            >
                              {t('form.removeDocument')}
                            </Button>
                          </Group>
                        </Group>
                        {attachment.error ? (
                          <Text c="red" size="sm" role="alert">
                            {errorText(attachment.error, t)}
                          </Text>
                        ) : attachment.uploaded ? (
                          <Text size="xs" c="teal.9" className="mono">
                            {t('form.uploaded', { hash: attachment.uploaded.sha256 })}
                          </Text>
                        ) : (
                          <Progress
                            value={Math.round(attachment.progress * 100)}
                            aria-label={t('form.uploading', { name: attachment.file.name })}
                            role="progressbar"
                            aria-valuenow={Math.round(attachment.progress * 100)}
                            aria-valuemin={0}
                            aria-valuemax={100}
                          />
                        )}
                        {previewing === attachment.key && (
                          <DocumentBytes
                            data={attachment.bytes}
                            mediaType={attachment.file.type || 'application/pdf'}
                            name={attachment.file.name}
                            width={480}
                          />
                        )}
                      </Stack>
                    </Card>
                  ))}
                </Stack>
              </Section>

              <Section number={3} title={t('form.steps.targets')}>
                <Textarea
                  label={t('form.targets')}
                  description={t('form.targetsHelp')}
                  placeholder={t('form.targetsPlaceholder')}
                  autosize
                  minRows={4}
                  value={targetsText}
                  onChange={(event) => setTargetsText(event.currentTarget.value)}
                  spellCheck={false}
                  styles={{ input: { fontFamily: 'ui-monospace, monospace' } }}
                />
                {targets.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    {t('form.noTargets')}
                  </Text>
                ) : (
                  <Table.ScrollContainer minWidth={360}>
                    <Table withTableBorder data-testid="recognised-targets">
                      <Table.Caption>{t('form.targetsCount', { count: targets.length, n: format.number(targets.length) })}</Table.Caption>
                      <Table.Tbody>
                        {targets.slice(0, 200).map((target) => (
                          <Table.Tr key={target.value}>
                            <Table.Td className="mono" style={{ overflowWrap: 'anywhere' }}>
                              {target.value}
                            </Table.Td>
                            <Table.Td w={170}>
                              <NativeSelect
                                size="xs"
                                aria-label={t('form.targetKind', { value: target.value })}
                                value={target.kind}
                                onChange={(event) =>
                                  setKindOverrides({ ...kindOverrides, [target.value]: event.currentTarget.value as IdentifierKind })
                                }
                                data={option(IDENTIFIER_KINDS, 'identifierKinds')}
                              />
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                )}
              </Section>

              <Section number={4} title={t('form.steps.scope')}>
                <Checkbox.Group label={t('form.categories')} value={categories} onChange={setCategories}>
                  <Group mt="xs" gap="md">
                    {DATA_CATEGORIES.map((category) => (
                      <Checkbox key={category} value={category} label={t(`categories.${category}`)} />
                    ))}
                  </Group>
                </Checkbox.Group>
                <Text fw={500} size="sm">
                  {t('form.dateRange')}
                </Text>
                <Group grow align="flex-start" wrap="wrap">
                  <TextInput
                    type="date"
                    label={t('form.dateFrom')}
                    value={dateFrom}
                    onChange={(event) => setDateFrom(event.currentTarget.value)}
                    miw={150}
                  />
                  <TextInput
                    type="date"
                    label={t('form.dateTo')}
                    value={dateTo}
                    onChange={(event) => setDateTo(event.currentTarget.value)}
                    miw={150}
                  />
                </Group>
                <Text size="xs" c="dimmed">
                  {t('form.dateRangeHelp')}
                </Text>
                <Group grow align="flex-start" wrap="wrap">
                  <TextInput
                    label={t('form.offence')}
                    value={offence}
                    onChange={(event) => setOffence(event.currentTarget.value)}
                    miw={220}
                  />
                  <NumberInput label={t('form.penalty')} value={penalty} onChange={setPenalty} min={0} max={100} miw={140} />
                </Group>
              </Section>

              <Section number={5} title={t('form.steps.facts')}>
                <Text size="xs" c="dimmed">
                  {t('form.facts.help')}
                </Text>
                <Switch
                  label={t('form.facts.toggle')}
                  checked={statingFacts}
                  onChange={(event) => setStatingFacts(event.currentTarget.checked)}
                />
                {statingFacts && (
                  <Stack gap="sm" data-testid="review-facts">
                    <Group grow align="flex-start" wrap="wrap">
                      <NativeSelect
                        label={t('form.facts.form')}
                        value={form}
                        onChange={(event) => setForm(event.currentTarget.value as InstrumentForm | '')}
                        data={[
                          { value: '', label: t('form.facts.formNone') },
                          ...forms.map((value) => ({ value, label: vocabularyLabel(INSTRUMENT_FORMS[value]) })),
                        ]}
                        miw={240}
                      />
                      <NativeSelect
                        label={t('form.facts.issuerRole')}
                        value={issuerRole}
                        onChange={(event) => setIssuerRole(event.currentTarget.value as IssuerRole | '')}
                        data={[
                          { value: '', label: t('form.facts.issuerRoleNone') },
                          ...issuerRoles.map((value) => ({ value, label: vocabularyLabel(ISSUER_ROLES[value]) })),
                        ]}
                        miw={200}
                      />
                    </Group>
                    <MultiSelect
                      label={t('form.facts.lists')}
                      description={t('form.facts.penaltyNote')}
                      value={lists}
                      onChange={(values) => setLists(values as OffenceList[])}
                      data={offenceLists.map((value) => ({ value, label: OFFENCE_LISTS[value] }))}
                      clearable
                    />
                    {targets.length > 0 && (
                      <Table.ScrollContainer minWidth={640}>
                        <Table withTableBorder data-testid="target-facts">
                          <Table.Caption>
                            {targets.length > FACT_TARGETS
                              ? t('form.facts.firstTargets', { count: FACT_TARGETS })
                              : t('form.facts.targets')}
                          </Table.Caption>
                          <Table.Thead>
                            <Table.Tr>
                              <Table.Th>{t('form.facts.target')}</Table.Th>
                              <Table.Th>{t('form.facts.role')}</Table.Th>
                              <Table.Th>{t('form.facts.named')}</Table.Th>
                              <Table.Th>{t('form.facts.residence')}</Table.Th>
                              <Table.Th>{t('form.facts.protected')}</Table.Th>
                            </Table.Tr>
                          </Table.Thead>
                          <Table.Tbody>
                            {targets.slice(0, FACT_TARGETS).map((target) => {
                              const given = perTarget[target.value] ?? {};
                              return (
                                <Table.Tr key={target.value}>
                                  <Table.Td className="mono" style={{ overflowWrap: 'anywhere' }}>
                                    {target.value}
                                  </Table.Td>
                                  <Table.Td w={130}>
                                    <NativeSelect
                                      size="xs"
                                      aria-label={t('form.facts.roleOf', { value: target.value })}
                                      value={given.role ?? 'unknown'}
                                      onChange={(event) => setTargetFact(target.value, { role: event.currentTarget.value as TargetRole })}
                                      data={option(TARGET_ROLES, 'targetRoles')}
                                    />
                                  </Table.Td>
                                  <Table.Td w={120}>
                                    <NativeSelect
                                      size="xs"
                                      aria-label={t('form.facts.namedOf', { value: target.value })}
                                      value={given.named ?? ''}
                                      onChange={(event) => {
                                        const named = event.currentTarget.value;
                                        setTargetFact(target.value, { named: named === 'yes' || named === 'no' ? named : undefined });
                                      }}
                                      data={[
                                        { value: '', label: t('form.facts.unknown') },
                                        { value: 'yes', label: t('form.facts.yes') },
                                        { value: 'no', label: t('form.facts.no') },
                                      ]}
                                    />
                                  </Table.Td>
                                  <Table.Td w={90}>
                                    <TextInput
                                      size="xs"
                                      aria-label={t('form.facts.residenceOf', { value: target.value })}
                                      value={given.residence ?? ''}
                                      maxLength={2}
                                      placeholder="KR"
                                      onChange={(event) =>
                                        setTargetFact(target.value, { residence: event.currentTarget.value.toUpperCase() })
                                      }
                                      error={given.residence && !/^[A-Z]{2}$/.test(given.residence) ? ' ' : undefined}
                                    />
                                  </Table.Td>
                                  <Table.Td miw={180}>
                                    <MultiSelect
                                      size="xs"
                                      aria-label={t('form.facts.protectedOf', { value: target.value })}
                                      value={[...(given.protected ?? [])]}
                                      onChange={(values) => setTargetFact(target.value, { protected: values as ProtectedStatus[] })}
                                      data={option(PROTECTED_STATUSES, 'protectedStatuses')}
                                    />
                                  </Table.Td>
                                </Table.Tr>
                              );
                            })}
                          </Table.Tbody>
                        </Table>
                      </Table.ScrollContainer>
                    )}
                  </Stack>
                )}
              </Section>

              <Section number={6} title={t('form.steps.orders')}>
                <Switch
                  label={t('form.nonDisclosure')}
                  checked={nonDisclosure}
                  onChange={(event) => setNonDisclosure(event.currentTarget.checked)}
                />
                {nonDisclosure && (
                  <TextInput
                    type="date"
                    label={t('form.nonDisclosureUntil')}
                    value={nonDisclosureUntil}
                    onChange={(event) => setNonDisclosureUntil(event.currentTarget.value)}
                    maw={220}
                  />
                )}
                {kind === 'emergency' && (
                  <Card withBorder bg="red.0" padding="sm">
                    <Stack gap="sm">
                      <Text fw={700}>{t('form.emergencyTitle')}</Text>
                      <Textarea
                        label={t('form.danger')}
                        autosize
                        minRows={3}
                        required
                        value={danger}
                        onChange={(event) => setDanger(event.currentTarget.value)}
                      />
                      <Checkbox
                        label={t('form.attestation')}
                        checked={attested}
                        onChange={(event) => setAttested(event.currentTarget.checked)}
                      />
                      <Text size="xs">{t('form.emergencyNote')}</Text>
                    </Stack>
                  </Card>
                )}
              </Section>

              <Section number={7} title={t('form.steps.review')}>
                {missing.length > 0 && (
                  <Alert color="yellow" role="status">
                    {t('form.missing', { fields: missing.join(', ') })}
                  </Alert>
                )}
                {submit.isError && <ErrorState error={submit.error} />}
                <Button type="submit" size="md" loading={submit.isPending} disabled={missing.length > 0} w="fit-content">
                  {submit.isPending ? t('form.submitting') : t('form.submit')}
                </Button>
              </Section>
            </Stack>
          </form>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Card withBorder padding="md" style={{ position: 'sticky', top: 72 }} aria-live="polite" aria-labelledby="findings-before">
            <Stack gap="sm">
              <Group justify="space-between">
                <Title order={2} size="h4" id="findings-before">
                  {t('form.findingsBefore')}
                </Title>
                {preview.isFetching && (
                  <Badge variant="light" color="gray">
                    {t('form.findingsChecking')}
                  </Badge>
                )}
              </Group>
              <Text size="xs" c="dimmed">
                {t('form.findingsBeforeHelp')}
              </Text>
              {preview.isError && !(preview.error instanceof ApiError && preview.error.code === 'VALIDATION_FAILED') ? (
                <ErrorState error={preview.error} onRetry={() => void preview.refetch()} />
              ) : preview.isError ? (
                <Text size="sm" c="orange.9">
                  {errorText(preview.error, t)}
                </Text>
              ) : preview.data ? (
                <FindingsList findings={preview.data.findings} empty={t('form.findingsNone')} />
              ) : (
                <Text size="sm" c="dimmed">
                  {t('form.findingsChecking')}
                </Text>
              )}
            </Stack>
          </Card>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

export function NewRequestPage() {
  return (
    <RequireSignIn side="agency">
      <NewRequestForm />
    </RequireSignIn>
  );
}
