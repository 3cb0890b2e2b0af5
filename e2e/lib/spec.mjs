// Reads ../shared/spec/better-auth-api.md: the 80 operations with method, path, tag, summary and request body fields.
// Shared by the OpenAPI comparison, the coverage script and the fuzz suite, so all three agree on what "80" means.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));

export function specPath() {
  if (process.env.BETTER_AUTH_SPEC) return process.env.BETTER_AUTH_SPEC;
  return path.resolve(here, '../../../shared/spec/better-auth-api.md');
}

/** @returns {{method:string,path:string,tag:string,summary:string,body:{name:string,required:boolean,type:string,description:string}[]}[]} */
export function loadSpecOperations(file = specPath()) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const ops = [];
  let op = null;
  let section = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const head = /^### (GET|POST|PUT|PATCH|DELETE) (\S+)\s*$/.exec(line);
    if (head) {
      op = { method: head[1], path: head[2], tag: '', summary: '', body: [] };
      ops.push(op);
      section = 'intro';
      continue;
    }
    if (!op) continue;
    if (/^#### Request Body/.test(line)) { section = 'body'; continue; }
    if (/^#### /.test(line)) { section = 'other'; continue; }
    if (section === 'intro') {
      const tag = /^- \*\*Tags:\*\* (.*)$/.exec(line);
      if (tag) { op.tag = tag[1].trim(); continue; }
      if (line.trim() && !line.startsWith('- **') && !op.summary) op.summary = line.trim();
    } else if (section === 'body') {
      const field = /^- \*\*`([^`]+)`( \(required\))?\*\*/.exec(line);
      if (field) {
        // The type line follows after a blank line: "  `string` — description".
        let j = i + 1;
        while (j < lines.length && !lines[j].trim()) j++;
        const typeLine = /^\s+`([^`]+)`(?: — (.*))?$/.exec(lines[j] ?? '');
        op.body.push({
          name: field[1],
          required: Boolean(field[2]),
          type: typeLine ? typeLine[1] : '',
          description: typeLine?.[2]?.trim() ?? '',
        });
      }
    }
  }
  return ops;
}

export const operationKey = (op) => `${op.method} ${op.path}`;
