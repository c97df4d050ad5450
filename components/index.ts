// The package's public API.
export * from "./lambda-collector";
export * from "./backends";
export { Architecture } from "./collector-image";
