/** The balkan-audit version, written into every snapshot commit's `Balkan-Audit-Version` trailer. */
export const VERSION = '0.1.0';
