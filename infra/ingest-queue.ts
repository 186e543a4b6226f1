/**
 * The buffer between the ingest rule and the ingest Lambda: the broker acknowledges a batch before the rule runs, so
 * once the edge has deleted it this queue is its only copy. A failed ingest stays in the queue and is received again;
 * after `MAX_RECEIVES` it moves to the dead-letter queue, kept 14 days for a redrive.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Receives of one message before it goes to the dead-letter queue: with the visibility timeout, about half an hour of retries. */
export const MAX_RECEIVES = 10;

export interface IngestQueueProps {
  /** The consumer's timeout: a message stays invisible for six of them (the AWS guidance for SQS event sources). */
  readonly consumerTimeout: Duration;
}

export class IngestQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetters: sqs.Queue;

  constructor(scope: Construct, id: string, props: IngestQueueProps) {
    super(scope, id);
    const retentionPeriod = Duration.days(14);
    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod,
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: MAX_RECEIVES },
    });
    // A dead letter is a site batch nobody stored yet: someone must look before the 14 days run out.
    new cloudwatch.Alarm(this, 'DeadLettersAlarm', {
      alarmDescription:
        'Site batches the ingest could not store after every retry: fix the cause, then redrive them to the ingest queue',
      metric: this.deadLetters.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
