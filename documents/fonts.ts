/**
 * DejaVu Sans, embedded (and subset) in every PDF: it covers Norwegian æøå and also the Sámi,
 * Polish, Baltic and other letters that appear in customer names, which the PDF standard fonts
 * (WinAnsi only) cannot show. Shipped by the dejavu-fonts-ttf package, so no system fonts needed.
 */
export const FONT_FILES = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
} as const;
