import { createTheme } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'writ',
  colors: {
    // A calm blue with enough contrast for text on white at every shade used (WCAG AA).
    writ: ['#e8f1fa', '#cfe0f2', '#a3c3e6', '#74a4d9', '#4d89ce', '#3478c6', '#1f5fa3', '#1c4e80', '#163f68', '#0f2f50'],
  },
  primaryShade: 7,
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans KR", "Noto Sans CJK KR", "Apple SD Gothic Neo", "Malgun Gothic", sans-serif',
  defaultRadius: 'sm',
  focusRing: 'always',
});
