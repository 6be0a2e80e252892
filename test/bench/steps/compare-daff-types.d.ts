// The few parts of daff's (untyped) library the compare benchmark's anchor step uses.
declare module 'daff' {
  class TableView {
    constructor(data: unknown[][]);
  }
  class CompareFlags {
    addPrimaryKey(column: string): void;
  }
  interface Alignment { readonly __alignment: true }
  class TableDiff {
    constructor(alignment: Alignment, flags: CompareFlags);
    hilite(output: TableView): boolean;
  }
  function compareTables(local: TableView, remote: TableView, flags?: CompareFlags): { align(): Alignment };
  const daff: { TableView: typeof TableView; CompareFlags: typeof CompareFlags; TableDiff: typeof TableDiff; compareTables: typeof compareTables };
  export default daff;
}
