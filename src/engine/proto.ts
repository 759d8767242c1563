/**
 * The Analyzer protocol stubs and their runtime libraries, all loaded from the one @pulumi/pulumi install
 * next to rootguard. grpc-js and google-protobuf check `instanceof` across messages and credentials, so
 * the client must use exactly the copies the generated stubs require, not whichever copy hoisting finds.
 */
import * as path from "node:path";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as analyzerPbTypes from "@pulumi/pulumi/proto/analyzer_pb";
import type * as analyzerGrpcTypes from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type * as structPbTypes from "google-protobuf/google/protobuf/struct_pb";
import type * as emptyPbTypes from "google-protobuf/google/protobuf/empty_pb";

const stubDir = path.dirname(require.resolve("@pulumi/pulumi/proto/analyzer_pb"));
const fromStubs = (id: string): string => require.resolve(id, { paths: [stubDir] });

export const analyzerPb: typeof analyzerPbTypes = require("@pulumi/pulumi/proto/analyzer_pb");
export const analyzerGrpc: typeof analyzerGrpcTypes = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
export const grpc: typeof grpcTypes = require(fromStubs("@grpc/grpc-js"));
export const structPb: typeof structPbTypes = require(fromStubs("google-protobuf/google/protobuf/struct_pb"));
export const emptyPb: typeof emptyPbTypes = require(fromStubs("google-protobuf/google/protobuf/empty_pb"));
