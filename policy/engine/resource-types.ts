// Pulumi type tokens of the resources the pack looks at.
export const LAMBDA_FUNCTION_TYPE = "aws:lambda/function:Function";
export const FUNCTION_URL_TYPE = "aws:lambda/functionUrl:FunctionUrl";
export const DOCKER_BUILD_IMAGE_TYPE = "docker-build:index:Image";
export const ECS_TASK_DEFINITION_TYPE = "aws:ecs/taskDefinition:TaskDefinition";
