/**
 * The real-programs corpus: public Pulumi TypeScript programs, copied without node_modules into
 * tests/cli/fixtures/real-programs/ (sources in SOURCES.md there), and leaky variants written for rootguard, each
 * with the outcome a correct offline preview must give. Each runs from a copy outside the repository, as a fresh
 * checkout of the program would, so nothing resolves from rootguard's own node_modules by walking up.
 */
import type { PreviewRequest } from "../../src/cli/preview/preview-program";

export const PULUMI_EXAMPLES = { repo: "pulumi/examples", commit: "40c09b266d44e9975e15289c42cc0c2ad8d14995", licence: "Apache-2.0" };
export const PULUMI_AWS_NATIVE = {
    repo: "pulumi/pulumi-aws-native",
    commit: "43eed3b017fff3b41e0ceeae37ee943afce53275",
    licence: "Apache-2.0",
};

/** Minimal stand-ins for packages rootguard does not carry, "installed" into a program's copy by the test. */
export type Stub = "@pulumi/random" | "mime";

export type Outcome =
    /** The preview runs; these resources count, these violations (`level policy urn`), sorted. */
    | { resources: number; violations: string[] }
    /** The preview stops with exit 2 and this one line (`<dir>` is the program's folder). */
    | { error: string };

export interface RealProgram {
    /** Folder under tests/cli/fixtures/real-programs/. */
    dir: string;
    /** `pulumi/examples` or `pulumi/pulumi-aws-native` path, or what a leaky variant was written from. */
    from: string;
    exercises: string;
    /** Stack and config as the program's README has the user set them. */
    request: PreviewRequest;
    install?: Stub[];
    expect: Outcome;
}

const dev = (region = "us-west-2", config: string[] = []): PreviewRequest => ({
    stack: "dev",
    allowMissingStackFile: true,
    config: [`aws:region=${region}`, ...config],
});

const urn = (project: string, typeChain: string, name: string) => `urn:pulumi:dev::${project}::${typeChain}::${name}`;

export const REAL_PROGRAMS: RealProgram[] = [
    {
        dir: "aws-ts-resources",
        from: "pulumi/examples aws-ts-resources",
        exercises: "30 resources of many services, resources passed as inputs (role: role, bucket: bucket)",
        request: dev(),
        expect: { resources: 30, violations: [] },
    },
    {
        dir: "aws-ts-serverless-raw",
        from: "pulumi/examples aws-ts-serverless-raw",
        exercises: "a FileArchive of a folder, RolePolicy with role passed as a resource, API Gateway",
        request: dev(),
        expect: { resources: 10, violations: [] },
    },
    {
        dir: "aws-ts-apigatewayv2-eventbridge",
        from: "pulumi/examples aws-ts-apigatewayv2-eventbridge",
        exercises: "a CallbackFunction (closure serialized into a code archive), EventBridge, resource references",
        request: dev(),
        expect: { resources: 14, violations: [] },
    },
    {
        dir: "aws-ts-webserver",
        from: "pulumi/examples aws-ts-webserver",
        exercises: "the getAmi lookup feeding an instance",
        request: dev(),
        expect: { resources: 4, violations: [] },
    },
    {
        dir: "aws-ts-stackreference-team",
        from: "pulumi/examples aws-ts-stackreference/team",
        exercises: "StackReferences (outputs unknown offline), getAmi, required config",
        request: dev("us-west-2", ["companyStack=acme/company/dev", "departmentStack=acme/department/dev", "teamName=platform"]),
        expect: { resources: 5, violations: [] },
    },
    {
        dir: "aws-ts-assume-role-assume-role",
        from: "pulumi/examples aws-ts-assume-role/assume-role",
        exercises: "an explicit provider with assumeRole, a resource on it",
        request: dev("us-west-2", ["roleToAssumeARN=arn:aws:iam::123456789012:role/deployer"]),
        expect: { resources: 3, violations: [] },
    },
    {
        dir: "aws-ts-organizations",
        from: "pulumi/examples aws-ts-organizations",
        exercises: "component-heavy: account, tag-policy and backup-policy components; Organizations resources",
        request: dev("us-west-2", ["devAccountEmailContact=dev@example.com"]),
        expect: { resources: 27, violations: [] },
    },
    {
        dir: "testing-unit-ts-mocha",
        from: "pulumi/examples testing-unit-ts/mocha",
        exercises: "a BucketPair component, pulumi.runtime.isDryRun",
        request: dev(),
        expect: { resources: 4, violations: [] },
    },
    {
        dir: "aws-ts-wordpress-fargate-rds",
        from: "pulumi/examples aws-ts-wordpress-fargate-rds",
        exercises: "component-heavy (Vpc, Db, WebService), getAvailabilityZones; needs @pulumi/random, which rootguard does not carry",
        request: dev(),
        expect: {
            error: "program needs @pulumi/random, which is not installed in <dir> and not carried by rootguard: run `npm install` in <dir> (at index.ts:11:1)",
        },
    },
    {
        dir: "aws-ts-wordpress-fargate-rds",
        from: "pulumi/examples aws-ts-wordpress-fargate-rds",
        exercises: "the same program once its folder has @pulumi/random installed",
        request: dev(),
        install: ["@pulumi/random"],
        expect: { resources: 26, violations: [] },
    },
    {
        dir: "aws-ts-s3-folder",
        from: "pulumi/examples aws-ts-s3-folder",
        exercises: 'an ES module ("type": "module"); needs mime, which rootguard does not carry',
        request: dev(),
        expect: { error: "program needs mime, which is not installed in <dir> and not carried by rootguard: run `npm install` in <dir>" },
    },
    {
        dir: "aws-ts-s3-folder",
        from: "pulumi/examples aws-ts-s3-folder",
        exercises: "the same ES module once its folder has mime installed: FileAssets, bucket passed as a resource",
        request: dev(),
        install: ["mime"],
        expect: { resources: 8, violations: [] },
    },
    {
        dir: "aws-ts-stackreference-architecture-networking",
        from: "pulumi/examples aws-ts-stackreference-architecture/networking",
        exercises: "an ES module with a Vpc component that calls require(), which ES modules do not have: Pulumi fails there too",
        request: dev(),
        expect: { error: "program failed: require is not defined (at src/vpc.ts:410:27)" },
    },
    {
        dir: "aws-ts-lambda-slack",
        from: "pulumi/examples aws-ts-lambda-slack",
        exercises: "a template project name (${PROJECT}), which Pulumi's backends refuse",
        request: dev(),
        expect: {
            error: "<dir>/Pulumi.yaml: name '${PROJECT}' is not a valid project name: project names may only contain alphanumerics, hyphens, underscores, and periods",
        },
    },
    {
        dir: "aws-native-simple-ts",
        from: "pulumi/pulumi-aws-native examples/simple-ts",
        exercises: "aws-native resources on the aws-native default provider",
        request: { stack: "dev", allowMissingStackFile: true, config: ["aws-native:region=us-west-2"] },
        expect: { resources: 4, violations: [] },
    },
    {
        dir: "aws-native-ts-stepfunctions",
        from: "pulumi/pulumi-aws-native examples/aws-native-ts-stepfunctions",
        exercises: "aws and aws-native together, each with its default provider",
        request: dev("us-west-2", ["aws-native:region=us-west-2"]),
        expect: { resources: 10, violations: [] },
    },
    {
        dir: "aws-native-cidr-ts",
        from: "pulumi/pulumi-aws-native examples/cidr-ts",
        exercises: "the aws-native cidr function (Fn::Cidr), computed offline",
        request: { stack: "dev", allowMissingStackFile: true, config: ["aws-native:region=us-west-2"] },
        expect: { resources: 4, violations: [] },
    },
    {
        dir: "leaky-serverless-raw",
        from: "written for rootguard, shaped like pulumi/examples aws-ts-serverless-raw",
        exercises: "resources passed as inputs next to a key hard-coded into a function",
        request: {},
        expect: {
            resources: 7,
            violations: [
                `mandatory no-hardcoded-aws-credentials ${urn("leaky-serverless-raw", "aws:lambda/function:Function", "mylambda")}`,
            ],
        },
    },
    {
        dir: "leaky-esm-site",
        from: "written for rootguard, shaped like pulumi/examples aws-ts-s3-folder",
        exercises: "an ES module (import.meta, nodenext import) granting sts:AssumeRoot without a task-policy condition",
        request: {},
        expect: {
            resources: 6,
            violations: [`mandatory restrict-assume-root ${urn("leaky-esm-site", "aws:iam/policy:Policy", "site-admin")}`],
        },
    },
    {
        dir: "leaky-components",
        from: "written for rootguard",
        exercises: "every AWS resource inside nested components, static keys in stack config, a key in a nested function",
        request: {},
        expect: {
            resources: 14,
            violations: [
                `mandatory aws-provider-static-credentials ${urn("leaky-components", "pulumi:providers:aws", "default_7_48_0")}`,
                `mandatory no-hardcoded-aws-credentials ${urn("leaky-components", "acme:platform:Service$acme:platform:Worker$aws:lambda/function:Function", "orders-export-fn")}`,
            ],
        },
    },
    {
        dir: "leaky-lookups",
        from: "written for rootguard, shaped like pulumi/examples aws-ts-webserver",
        exercises: "getAmi, getVpc, getSubnets, getAvailabilityZones, getCallerIdentity, getPartition feeding resources and a policy",
        request: {},
        expect: {
            resources: 6,
            violations: [`mandatory restrict-assume-root ${urn("leaky-lookups", "aws:iam/rolePolicy:RolePolicy", "break-glass-root")}`],
        },
    },
    {
        dir: "leaky-secure-config",
        from: "written for rootguard",
        exercises: "requireSecretObject on a config object with an encrypted leaf; an encrypted aws:secretKey",
        request: {},
        expect: {
            resources: 4,
            violations: [
                `mandatory aws-provider-static-credentials ${urn("leaky-secure-config", "pulumi:providers:aws", "default_7_48_0")}`,
            ],
        },
    },
    {
        dir: "leaky-native",
        from: "written for rootguard, shaped like pulumi/pulumi-aws-native examples simple-ts and cidr-ts",
        exercises: "aws-native: getAccountId and cidr lookups, a role whose inline policy allows sts:AssumeRoot",
        request: {},
        expect: { resources: 6, violations: [`mandatory restrict-assume-root ${urn("leaky-native", "aws-native:iam:Role", "operator")}`] },
    },
    {
        dir: "leaky-org-scp",
        from: "written for rootguard, shaped like pulumi/examples aws-ts-organizations",
        exercises: "a guardrail component attaching a root-deny SCP (found via getOrganization) that blocks AssumeRoot sessions",
        request: {},
        expect: {
            resources: 5,
            violations: [
                `advisory scp-root-deny-exempts-assume-root ${urn("leaky-org-scp", "acme:org:Guardrails$aws:organizations/policy:Policy", "org-deny-root")}`,
            ],
        },
    },
    {
        dir: "leaky-callback",
        from: "written for rootguard",
        exercises: "a CallbackFunction whose closure captures an access key (in the code archive, without node_modules)",
        request: {},
        expect: {
            resources: 13,
            violations: [`mandatory no-hardcoded-aws-credentials ${urn("leaky-callback", "aws:lambda/function:Function", "exporter")}`],
        },
    },
];
