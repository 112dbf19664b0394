// Validate YAML files against dxassess's JSON Schemas the way other tools do: js-yaml (YAML 1.1:
// an unquoted 2026-11-27 becomes a Date) and ajv in strict mode (draft 2020-12, formats checked).
// stdin: {"schemas": {kind: schema}, "files": [{"path": ..., "kind": ...}]}
// stdout: [{"path", "kind", "errors": [{"instancePath", "keyword", "message"}]}]
// A schema ajv refuses in strict mode is reported as {"schema": kind, "error": message}.
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import yaml from "js-yaml";

const input = JSON.parse(readFileSync(0, "utf8"));
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
const validators = {};
const out = [];
for (const [kind, schema] of Object.entries(input.schemas)) {
  try {
    validators[kind] = ajv.compile(schema);
  } catch (error) {
    out.push({ schema: kind, error: String(error.message || error) });
  }
}
for (const file of input.files) {
  const validate = validators[file.kind];
  if (!validate) continue;
  const data = yaml.load(readFileSync(file.path, "utf8"));
  const ok = validate(data);
  const errors = ok ? [] : validate.errors.map((e) => ({ instancePath: e.instancePath, keyword: e.keyword, message: e.message }));
  out.push({ path: file.path, kind: file.kind, errors });
}
process.stdout.write(JSON.stringify(out));
