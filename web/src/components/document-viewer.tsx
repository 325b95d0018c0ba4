/** Shows a legal process document: a PDF page by page on a canvas, an image as it is. */
import { Button, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { ApiError } from '../api/client';
import { ErrorState, Loading } from './states';

interface ViewedDocument {
  readonly id: string;
  readonly fileName: string;
  readonly mediaType: string;
}

async function fetchDocument(id: string): Promise<ArrayBuffer> {
  const response = await fetch(`/api/v1/documents/${encodeURIComponent(id)}`, { credentials: 'same-origin' });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { code?: string; detail?: string };
    throw new ApiError({ status: response.status, code: body.code ?? 'UNKNOWN', detail: body.detail ?? '' });
  }
  return response.arrayBuffer();
}

/** Renders bytes already in the browser (a file being attached, or one fetched): PDF pages or an image. */
export function DocumentBytes({
  data,
  mediaType,
  name,
  width = 520,
}: {
  data: ArrayBuffer;
  mediaType: string;
  name: string;
  width?: number;
}) {
  const { t } = useTranslation();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [pages, setPages] = useState(0);
  const [page, setPage] = useState(1);
  const [failed, setFailed] = useState(false);
  const [imageUrl, setImageUrl] = useState<string | null>(null);
  const pdf = useRef<PDFDocumentProxy | null>(null);
  const isPdf = mediaType === 'application/pdf';

  useEffect(() => {
    if (isPdf) return;
    const url = URL.createObjectURL(new Blob([data], { type: mediaType }));
    setImageUrl(url);
    return () => URL.revokeObjectURL(url);
  }, [data, mediaType, isPdf]);

  useEffect(() => {
    if (!isPdf) return;
    let cancelled = false;
    setFailed(false);
    // pdf.js takes ownership of the buffer it is given: hand it a copy.
    void import('./pdf')
      .then(async ({ openPdf }) => {
        const opened = await openPdf(data.slice(0));
        if (cancelled) return void opened.destroy();
        pdf.current = opened;
        setPages(opened.numPages);
        setPage(1);
      })
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
      void pdf.current?.destroy();
      pdf.current = null;
    };
  }, [data, isPdf]);

  useEffect(() => {
    if (!isPdf || !pages || !pdf.current || !canvas.current) return;
    const target = canvas.current;
    void import('./pdf').then(({ renderPage }) => renderPage(pdf.current!, page, target, width)).catch(() => setFailed(true));
  }, [isPdf, pages, page, width]);

  if (failed) return <Text c="dimmed">{t('form.previewFailed')}</Text>;
  if (!isPdf) return imageUrl ? <img src={imageUrl} alt={name} style={{ maxWidth: '100%', height: 'auto' }} /> : <Loading />;
  return (
    <Stack gap="xs">
      {!pages && <Loading />}
      <canvas ref={canvas} className="doc-canvas" role="img" aria-label={`${name} — ${t('desk.pageOf', { page, pages })}`} />
      {pages > 1 && (
        <Group gap="xs">
          <Button size="xs" variant="default" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {t('desk.previousPage')}
          </Button>
          <Text size="sm" aria-live="polite">
            {t('desk.pageOf', { page, pages })}
          </Text>
          <Button size="xs" variant="default" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            {t('desk.nextPage')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

export function DocumentViewer({ documents, width }: { documents: readonly ViewedDocument[]; width?: number }) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState(documents[0]?.id ?? '');
  const current = documents.find((document) => document.id === chosen) ?? documents[0];
  const bytes = useQuery({
    queryKey: ['document', current?.id],
    queryFn: () => fetchDocument(current!.id),
    enabled: !!current,
    staleTime: Infinity,
  });
  if (!current) return <Text c="dimmed">{t('desk.noDocument')}</Text>;
  return (
    <Stack gap="sm">
      {documents.length > 1 && (
        <SegmentedControl
          value={current.id}
          onChange={setChosen}
          data={documents.map((document) => ({ value: document.id, label: document.fileName }))}
          fullWidth
        />
      )}
      <Group justify="space-between">
        <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
          {current.fileName}
        </Text>
        <Button component="a" size="xs" variant="subtle" href={`/api/v1/documents/${current.id}`} download={current.fileName}>
          {t('desk.openDocument')}
        </Button>
      </Group>
      {bytes.isPending ? (
        <Loading />
      ) : bytes.isError ? (
        <ErrorState error={bytes.error} onRetry={() => void bytes.refetch()} />
      ) : (
        <DocumentBytes data={bytes.data} mediaType={current.mediaType} name={current.fileName} {...(width ? { width } : {})} />
      )}
    </Stack>
  );
}
