/** CDK entry (cdk.json: `npx tsx infra/app.ts`): the fleet app with the cdk-nag AwsSolutions checks, which fail the synth on any finding that is not acknowledged. */
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createFleetApp } from './fleet-app';

const { app } = createFleetApp();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
