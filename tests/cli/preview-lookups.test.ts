/* Offline lookups (issue 16 item 5): plausible shapes, exact where AWS defines the answer, an error otherwise. */
import { strict as assert } from "node:assert";
import { ANSWERED_LOOKUPS, cidrSubnets, mockLookup, parseLookupFlags } from "../../src/cli/preview/lookups";
import { UserError } from "../../src/cli/errors";

describe("preview: lookups answered offline", () => {
    it("computes aws-native's cidr (Fn::Cidr) as AWS documents it", () => {
        // The CloudFormation template reference's example: 6 blocks of /27 from 192.168.0.0/24.
        assert.deepEqual(cidrSubnets("192.168.0.0/24", 6, 5), [
            "192.168.0.0/27",
            "192.168.0.32/27",
            "192.168.0.64/27",
            "192.168.0.96/27",
            "192.168.0.128/27",
            "192.168.0.160/27",
        ]);
        // "specifying a value 8 … will create a CIDR with a mask of /24"; IPv6 subtracts from 128.
        assert.deepEqual(cidrSubnets("10.0.0.0/16", 2, 8), ["10.0.0.0/24", "10.0.1.0/24"]);
        assert.deepEqual(cidrSubnets("2600:1f14:abc:de00::/56", 2, 64), ["2600:1f14:abc:de00::/64", "2600:1f14:abc:de01::/64"]);
        assert.throws(() => cidrSubnets("10.0.0.0/24", 300, 5), /fewer than 300/);
        assert.deepEqual(mockLookup("aws-native:index:cidr", { ipBlock: "10.0.0.0/16", count: 1, cidrBits: 12 }, "eu-west-1"), {
            subnets: ["10.0.0.0/20"],
        });
    });

    it("answers in the stack's region and partition, the same way every time", () => {
        const a = mockLookup("aws:ec2/getVpc:getVpc", { default: true }, "cn-north-1");
        assert.match(String(a.arn), /^arn:aws-cn:ec2:cn-north-1:123456789012:vpc\/vpc-0[0-9a-f]{16}$/);
        assert.deepEqual(mockLookup("aws:ec2/getVpc:getVpc", { default: true }, "cn-north-1"), a);
        assert.notEqual(mockLookup("aws:ec2/getVpc:getVpc", { tags: { Name: "other" } }, "cn-north-1").id, a.id);
        assert.equal(mockLookup("aws:index/getPartition:getPartition", {}, "us-gov-west-1").partition, "aws-us-gov");
    });

    it("echoes what the program asked for, as the provider does", () => {
        const subnet = mockLookup(
            "aws:ec2/getSubnet:getSubnet",
            { id: "subnet-0123456789abcdef0", vpcId: "vpc-0123456789abcdef0" },
            "us-east-1",
        );
        assert.equal(subnet.id, "subnet-0123456789abcdef0");
        assert.equal(subnet.vpcId, "vpc-0123456789abcdef0");
        assert.equal(
            mockLookup("aws:iam/getRole:getRole", { name: "deployer" }, "us-east-1").arn,
            "arn:aws:iam::123456789012:role/deployer",
        );
    });

    it("reads AWS's public AMI parameters as AWS publishes them: JSON for .../recommended, an image ID otherwise", () => {
        const recommended = mockLookup(
            "aws:ssm/getParameter:getParameter",
            { name: "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended" },
            "us-east-1",
        );
        assert.match(JSON.parse(String(recommended.value)).image_id, /^ami-0[0-9a-f]{16}$/);
        const alias = mockLookup(
            "aws:ssm/getParameter:getParameter",
            { name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" },
            "us-east-1",
        );
        assert.match(String(alias.value), /^ami-0[0-9a-f]{16}$/);
    });

    it("refuses to invent an answer it has no shape for, naming the lookup and --lookup; a --lookup value wins", () => {
        assert.throws(
            () => mockLookup("aws:ec2/getVpcEndpoint:getVpcEndpoint", {}, "us-east-1"),
            /^Error: lookup aws:ec2\/getVpcEndpoint:getVpcEndpoint has no offline value: .* --lookup 'aws:ec2\/getVpcEndpoint:getVpcEndpoint=\{"id":"…"\}'/,
        );
        const given = {
            "aws:ec2/getVpcEndpoint:getVpcEndpoint": { id: "vpce-1" },
            "aws:ec2/getVpc:getVpc": { cidrBlock: "172.31.0.0/16" },
        };
        assert.equal(mockLookup("aws:ec2/getVpcEndpoint:getVpcEndpoint", { vpcId: "v" }, "us-east-1", given).id, "vpce-1");
        assert.equal(mockLookup("aws:ec2/getVpc:getVpc", {}, "us-east-1", given).cidrBlock, "172.31.0.0/16");
        assert.ok(
            ANSWERED_LOOKUPS.every((token) => /^aws(-native)?:[a-z0-9]+(\/\w+)?:\w+$/.test(token)),
            "tokens as the SDK spells them",
        );
    });

    it("parses --lookup TOKEN=JSON and says what is wrong with a bad one", () => {
        assert.deepEqual(parseLookupFlags(['aws:ec2/getVpc:getVpc={"id":"vpc-1"}']), { "aws:ec2/getVpc:getVpc": { id: "vpc-1" } });
        for (const bad of [
            "getVpc={}",
            'aws:ec2/getVpc:getVpc=["x"]',
            "aws:ec2/getVpc:getVpc={",
            "aws:ec2/getVpc:getVpc=@/nonexistent.json",
        ]) {
            assert.throws(() => parseLookupFlags([bad]), UserError, bad);
        }
    });
});
