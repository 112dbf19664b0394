// Open YAML files in the YAML language server (the one VS Code's YAML extension runs) with given
// editor settings, and report the diagnostics it publishes for each: what an officer's editor
// would underline. Spoken over stdio as an editor does (LSP JSON-RPC); no network.
// stdin: {"root": folder, "settings": {"yaml.schemas": {...}, ...}, "files": [paths]}
// stdout: {path: [{"line", "character", "message", "source"}]}
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const input = JSON.parse(readFileSync(0, "utf8"));
const require = createRequire(import.meta.url);
const serverPath = require.resolve("yaml-language-server/bin/yaml-language-server");
const server = spawn(process.execPath, [serverPath, "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });

const yamlSettings = {
  validate: true,
  hover: true,
  completion: true,
  schemaStore: { enable: false },
  format: { enable: false },
};
for (const [key, value] of Object.entries(input.settings)) {
  if (key.startsWith("yaml.")) yamlSettings[key.slice(5)] = value;
}

let nextId = 1;
const pending = new Map();
function send(message) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...message }), "utf8");
  server.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
  server.stdin.write(body);
}
function request(method, params) {
  const id = nextId++;
  send({ id, method, params });
  return new Promise((resolve) => pending.set(id, resolve));
}

const uris = new Map(input.files.map((p) => [pathToFileURL(p).href, p]));
const diagnostics = {};
let lastPublish = Date.now();

function handle(message) {
  if (message.id !== undefined && message.method === undefined) {
    pending.get(message.id)?.(message.result);
    pending.delete(message.id);
  } else if (message.method === "workspace/configuration") {
    send({ id: message.id, result: message.params.items.map((item) => (item.section === "yaml" ? yamlSettings : item.section ? null : { yaml: yamlSettings })) });
  } else if (message.id !== undefined) {
    send({ id: message.id, result: null }); // client/registerCapability and the like
  } else if (message.method === "textDocument/publishDiagnostics") {
    const path = uris.get(message.params.uri);
    if (path) {
      diagnostics[path] = message.params.diagnostics.map((d) => ({
        line: d.range.start.line + 1,
        character: d.range.start.character + 1,
        message: d.message,
        source: d.source,
      }));
      lastPublish = Date.now();
    }
  }
}

let buffer = Buffer.alloc(0);
server.stdout.on("data", (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const end = buffer.indexOf("\r\n\r\n");
    if (end < 0) return;
    const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, end).toString())[1]);
    if (buffer.length < end + 4 + length) return;
    handle(JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString("utf8")));
    buffer = buffer.subarray(end + 4 + length);
  }
});

const rootUri = pathToFileURL(input.root).href;
await request("initialize", {
  processId: process.pid,
  rootUri,
  workspaceFolders: [{ uri: rootUri, name: "workspace" }],
  capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } } },
  initializationOptions: {},
});
send({ method: "initialized", params: {} });
send({ method: "workspace/didChangeConfiguration", params: { settings: { yaml: yamlSettings } } });
for (const [uri, path] of uris) {
  send({ method: "textDocument/didOpen", params: { textDocument: { uri, languageId: "yaml", version: 1, text: readFileSync(path, "utf8") } } });
}
// Wait until every file has its diagnostics and the server has been quiet for a while.
const started = Date.now();
await new Promise((resolve) => {
  const timer = setInterval(() => {
    const all = input.files.every((p) => p in diagnostics);
    if ((all && Date.now() - lastPublish > 2500) || Date.now() - started > 120000) {
      clearInterval(timer);
      resolve();
    }
  }, 200);
});
await request("shutdown", null);
send({ method: "exit" });
process.stdout.write(JSON.stringify(diagnostics));
setTimeout(() => process.exit(0), 200);
