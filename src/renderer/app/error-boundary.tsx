import { Component, type ErrorInfo, type ReactNode } from 'react';
import { errorMessage } from '../ui/errors.js';

interface Props {
  /** Which screen, for the message. */
  name: string;
  /** Changing it (another route) clears a caught error. */
  resetKey: string;
  children: ReactNode;
}

/** One per screen: a screen that throws shows what happened and a retry, never a blank console. */
export class ScreenBoundary extends Component<Props, { error: unknown }> {
  override state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error(`The ${this.props.name} screen failed`, error, info.componentStack);
  }

  override componentDidUpdate(prev: Props) {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="screen" data-testid="screen-error">
        <div className="error-banner" role="alert">
          <div className="error-body">
            <strong>The {this.props.name} screen stopped working.</strong>
            <div>{errorMessage(this.state.error)}</div>
          </div>
          <button type="button" className="btn btn-small" onClick={() => this.setState({ error: null })}>
            Try again
          </button>
        </div>
      </div>
    );
  }
}
