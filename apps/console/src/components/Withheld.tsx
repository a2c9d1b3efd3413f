// Where a personal field was removed for this reader: say so instead of
// showing an empty cell, so nobody mistakes "withheld" for "absent".
export function Withheld() {
  return (
    <span className="withheld" title="Personal data is shown to auditors and admins only">
      withheld (personal)
    </span>
  );
}
