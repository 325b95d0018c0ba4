/**
 * The look: Mantine's defaults with a calm blue, and colours pushed to WCAG AA contrast (4.5:1 for text) where
 * Mantine's defaults fall short: dimmed text, and the text of light, outline and subtle badges and buttons.
 */
import {
  Badge,
  createTheme,
  defaultVariantColorsResolver,
  parseThemeColor,
  type CSSVariablesResolver,
  type VariantColorsResolver,
} from '@mantine/core';

/** Hues too light for white text: filled, they get black text on a light shade instead. */
const LIGHT_HUES = new Set(['yellow', 'orange', 'lime', 'cyan']);
/** Hues whose darkest shade is still too light as text on their own tint: light variants get near-black text. */
const PALE_TEXT_HUES = new Set([...LIGHT_HUES, 'teal', 'green']);

const variantColorResolver: VariantColorsResolver = (input) => {
  const colours = defaultVariantColorsResolver(input);
  const parsed = parseThemeColor({ color: input.color ?? input.theme.primaryColor, theme: input.theme });
  if (!parsed.isThemeColor || parsed.shade !== undefined) return colours;
  const light = LIGHT_HUES.has(parsed.color);
  const shade = (n: number) => `var(--mantine-color-${parsed.color}-${n})`;
  switch (input.variant) {
    case 'filled':
      return light
        ? { ...colours, background: shade(4), hover: shade(5), color: '#000' }
        : { ...colours, background: shade(9), hover: shade(8), color: '#fff' };
    case 'light':
    case 'subtle':
    case 'outline':
      return {
        ...colours,
        color: PALE_TEXT_HUES.has(parsed.color) ? 'var(--mantine-color-dark-8)' : shade(9),
        ...(input.variant === 'outline' ? { border: `1px solid ${shade(light ? 6 : 7)}` } : {}),
      };
    default:
      return colours;
  }
};

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': '#575e66', '--mantine-color-placeholder': '#6b7178' },
  dark: {},
});

export const theme = createTheme({
  primaryColor: 'writ',
  colors: {
    writ: ['#e8f1fa', '#cfe0f2', '#a3c3e6', '#74a4d9', '#4d89ce', '#3478c6', '#1f5fa3', '#1c4e80', '#163f68', '#0f2f50'],
  },
  primaryShade: 7,
  variantColorResolver,
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans KR", "Noto Sans CJK KR", "Apple SD Gothic Neo", "Malgun Gothic", sans-serif',
  defaultRadius: 'sm',
  focusRing: 'always',
  components: {
    // Badges carry identifiers and account names: shown as written, never upper-cased.
    Badge: Badge.extend({ defaultProps: { tt: 'none' } }),
  },
});
