/**
 * Tag colours dark enough for white text to meet WCAG AA (4.5:1); Ant Design's light preset
 * tags (orange, green, gold, cyan) fall short of it.
 */
export const TONE = {
  blue: '#0958d9',
  green: '#237804',
  orange: '#ad4e00',
  gold: '#876800',
  cyan: '#006d75',
  red: '#a8071a',
  purple: '#531dab',
  geekblue: '#1d39c4',
} as const;
