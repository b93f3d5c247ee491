// Usage: node query.mjs <endpoint> <select query>
// Prints {"bindings": [{var: value, ...}, ...]} as JSON on stdout; exit code 1 on error.
import { QueryEngine } from "@comunica/query-sparql";

const [endpoint, query] = process.argv.slice(2);
if (!endpoint || !query) {
  console.error("usage: node query.mjs <endpoint> <query>");
  process.exit(2);
}
const engine = new QueryEngine();
try {
  const stream = await engine.queryBindings(query, { sources: [{ type: "sparql", value: endpoint }] });
  const rows = [];
  for await (const b of stream) {
    const row = {};
    for (const [variable, term] of b) row[variable.value] = term.value;
    rows.push(row);
  }
  process.stdout.write(JSON.stringify({ bindings: rows }) + "\n");
} catch (e) {
  console.error(String(e && e.stack ? e.stack : e));
  process.exit(1);
}
