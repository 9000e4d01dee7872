/** DOM ids linking each tab to its panel (aria-controls / aria-labelledby). */
export function tabElementId(key: string): string {
  return `tab-${encodeURIComponent(key)}`;
}

export function tabPanelId(key: string): string {
  return `tabpanel-${encodeURIComponent(key)}`;
}
