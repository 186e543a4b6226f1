// The console's browser code needs the DOM types. The root tsconfig type-checks every folder with lib ES2023 only,
// so this pulls the DOM libs into that program (Node's types are written to coexist with them).
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
