import { startFakeAws } from "./tests/fixtures/fake-aws/server";
import { organizationWorld, KEYS } from "./tests/fixtures/fake-aws/world";
import { doctor, defaultDeps } from "./src/cli/doctor/command";
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
(async () => {
  // unreachable: closed port
  const w = organizationWorld(true);
  const fake = await startFakeAws(w);
  const url = fake.url; await fake.close();
  const env = fake.env(KEYS.management, { AWS_REGION: "us-east-1" });
  for (const [k, v] of Object.entries(env)) process.env[k] = v;
  let t = Date.now();
  await doctor(".", { config: ["mode=organization"], timeout: "5" }, { ...defaultDeps(), env: process.env, setExitCode: (c) => console.log("exit", c, Date.now() - t, "ms") });
  // hang everything
  const w2 = organizationWorld(true); w2.hang = ["sts"];
  const f2 = await startFakeAws(w2);
  for (const [k, v] of Object.entries(f2.env(KEYS.management, { AWS_REGION: "us-east-1" }))) process.env[k] = v;
  t = Date.now();
  await doctor(".", { config: ["mode=organization"], timeout: "2" }, { ...defaultDeps(), env: process.env, setExitCode: (c) => console.log("exit", c, Date.now() - t, "ms") });
  await f2.close();
  const w3 = organizationWorld(true); w3.hang = ["lambda"];
  const f3 = await startFakeAws(w3);
  for (const [k, v] of Object.entries(f3.env(KEYS.management, { AWS_REGION: "us-east-1" }))) process.env[k] = v;
  t = Date.now();
  await doctor(".", { config: ["mode=organization"], timeout: "2", json: true }, { ...defaultDeps(), env: process.env, setExitCode: (c) => console.log("exit", c, Date.now() - t, "ms") });
  await f3.close();
})();
