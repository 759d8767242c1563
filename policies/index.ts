/**
 * The rootguard CrossGuard policy pack. The engine `require`s the compiled form of this file
 * (package.json `main`); constructing the PolicyPack starts the gRPC server and prints its port, so
 * tests import `./all` or the concern files, never this one.
 */
import { PolicyPack } from "@pulumi/policy";
import { allPolicies } from "./all";

new PolicyPack("rootguard", {
    description: "Stops deployments that create, embed or run with AWS account root credentials.",
    policies: allPolicies,
});
